import { setFlagsFromString } from 'node:v8';

// An audit is a batch job with a modest live set (a few hundred bytes per cluster, provider and role) that
// makes a great deal of short-lived garbage: every SDK call, and some twenty SDK clients per account. Left to
// its defaults on a large host, V8 lets the young generation grow to 128 MB and the old one to several times
// what is live, so an organization of 1,000 accounts peaked at 1.2 GB of RSS for ~250 MB of live data.

/**
 * Flags that only take effect when given at start: NODE_OPTIONS for the Lambda (serverless.yml), the bin's
 * shebang and the npm scripts for the CLI. A 16 MB semi-space keeps the young generation at 32 MB.
 */
export const NODE_START_FLAGS = ['--max-semi-space-size=16'] as const;

/**
 * V8 sizes its old generation from the memory it sees, a quarter of it: in a Lambda of 1769 MB, 442 MB of heap,
 * which an audit of some 1,200 accounts outgrows (about 0.35 MB of heap per account, README "Performance") and
 * then dies of. The Lambda's functions let the heap take three quarters of their memory instead, leaving the rest
 * to code, the young generation and buffers. (Off Lambda the quarter is of the machine, and plenty.)
 */
export const LAMBDA_HEAP_PERCENT = 75;
const LAMBDA_HEAP_LIMIT = `--max-old-space-size-percentage=${LAMBDA_HEAP_PERCENT}`;

/** NODE_OPTIONS of the audit, plan and shard functions (serverless.yml, provider.environment). */
export const LAMBDA_START_FLAGS = [...NODE_START_FLAGS, LAMBDA_HEAP_LIMIT] as const;

/**
 * The fan-out's merge: its live set grows to gigabytes as it reads every part, and a 32 MB semi-space lets less
 * of its garbage reach the old generation than the 16 MB of the other steps. Merge of 10,000 accounts, one run
 * after the other: 48.7 s and 2,832 MiB at 32 MB, 49.8 s and 2,841 MiB at 16 MB, 48.0 s and 2,926 MiB at 64 MB
 * (npm run bench -- --fan-out --replicate, docs/fan-out.md).
 */
export const MERGE_YOUNG_GENERATION = '--max-semi-space-size=32';

/** NODE_OPTIONS of the fan-out's merge function (serverless.yml, custom.mergeEnvironment). */
export const MERGE_START_FLAGS = [MERGE_YOUNG_GENERATION, LAMBDA_HEAP_LIMIT] as const;

/**
 * Keeps the old generation within 15% above what survived the last full collection (V8 otherwise grows it
 * by up to 4x). Read at each collection, so it works when set at run time; NODE_OPTIONS refuses it.
 * At 1,000 accounts: peak RSS 383 MB instead of 484 MB with 25%, for 7% more CPU (npm run bench).
 */
export function tuneHeapForAudit(): void {
  setFlagsFromString('--heap-growing-percent=15');
}
