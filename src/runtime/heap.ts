import { setFlagsFromString } from 'node:v8';

// An audit is a batch job with a modest live set (a few hundred bytes per cluster, provider and role) that
// makes a great deal of short-lived garbage: every SDK call, and some twenty SDK clients per account. Left to
// its defaults on a large host, V8 lets the young generation grow to 128 MB and the old one to several times
// what is live, so a large organization's RSS rose to several times its live data (docs/performance.md, "Memory").

/**
 * Flags that only take effect when given at start: NODE_OPTIONS for the Lambda (serverless.yml), the bin's
 * shebang and the npm scripts for the CLI. A 16 MB semi-space keeps the young generation at 32 MB; `gc` is
 * exposed for the one full collection an audit asks for, when its reads end (heapPolicy.judging).
 */
export const NODE_START_FLAGS = ['--max-semi-space-size=16', '--expose-gc'] as const;

/**
 * glibc gives a thread that allocates while another holds the lock an arena of its own, up to eight per core, and
 * keeps what each arena once held: V8's collector threads and libuv's pool left some 40 MiB resident beyond V8's
 * heap and the main thread's. Two arenas hold the same work in half of that (docs/performance.md, "Memory").
 * glibc reads it from the environment when the process starts: serverless.yml's provider.environment, the
 * shebangs, `npm run audit` and the benchmark's auditor process set it.
 */
export const MALLOC_ENVIRONMENT = { MALLOC_ARENA_MAX: '2' } as const;

/**
 * V8 sizes its old generation from the memory it sees, a quarter of it: in a Lambda of 1769 MB less than a large
 * organization's audit holds, which it then dies of (docs/performance.md, "Memory", says from how many accounts).
 * The Lambda's functions let the heap take three quarters of their memory instead, leaving the rest to code,
 * the young generation and buffers. (Off Lambda the quarter is of the machine, and plenty.)
 */
export const LAMBDA_HEAP_PERCENT = 75;
const LAMBDA_HEAP_LIMIT = `--max-old-space-size-percentage=${LAMBDA_HEAP_PERCENT}`;

/** NODE_OPTIONS of the audit, plan and shard functions (serverless.yml, provider.environment). */
export const LAMBDA_START_FLAGS = [...NODE_START_FLAGS, LAMBDA_HEAP_LIMIT] as const;

/**
 * The fan-out's merge: its live set grows to gigabytes as it reads every part, and a 32 MB semi-space lets less
 * of its garbage reach the old generation than the 16 MB of the other steps; 64 MB was no faster and held more
 * RSS (docs/performance.md, "The merge").
 */
export const MERGE_YOUNG_GENERATION = '--max-semi-space-size=32';

/** NODE_OPTIONS of the fan-out's merge function (serverless.yml, custom.mergeEnvironment). */
export const MERGE_START_FLAGS = [MERGE_YOUNG_GENERATION, LAMBDA_HEAP_LIMIT] as const;

/**
 * How far V8 lets the old generation grow past what survived its last full collection before it collects again
 * (V8 alone grows it by up to 4x). Read at each collection, so it can change at run time; NODE_OPTIONS refuses
 * it. The audit sets it by phase:
 * - while it reads AWS, the live set is the inventory, a few hundred megabytes at most, and the old generation's
 *   garbage is the SDK's per-call objects that lived through a call's latency and were promoted; collecting at
 *   15% growth re-marked the whole inventory every few megabytes of it: 50% spends less CPU per call, its RSS
 *   below the judging phase's peak (docs/performance.md, "CPU per call");
 * - once the reads end, the facts, checks and report take seconds, allocate mostly what they keep, and are where
 *   memory peaks: 5% keeps the heap close to its live set, for collections those seconds hardly notice
 *   (docs/performance.md, "Memory");
 * - from the start, and so throughout a fan-out's merge, which reads parts of gigabytes before it judges them:
 *   15%, where 25% let the peak rise and a tighter setting would re-mark a growing live set many more times.
 */
export const READING_HEAP_GROWTH = '--heap-growing-percent=50';
export const JUDGING_HEAP_GROWTH = '--heap-growing-percent=5';
export const START_HEAP_GROWTH = '--heap-growing-percent=15';

/** The garbage collector's setting by phase of the audit (AuditDeps.heap). */
export interface HeapPolicy {
  /** Scope and inventory: calls to AWS and issuer probes. */
  reading(): void;
  /** Facts, checks, report and publish, once an audit's reads have ended. */
  judging(): void;
}

export const heapPolicy: HeapPolicy = {
  reading: () => setFlagsFromString(READING_HEAP_GROWTH),
  judging: () => {
    setFlagsFromString(JUDGING_HEAP_GROWTH);
    // V8 applies a growth setting at its next full collection, which the reads' 50% put off until the facts had
    // filled that room; one now puts the judging phase under its own limit from its start. Without --expose-gc
    // (node run without the CLI's flags) there is none, and the phase starts under the reads' limit.
    globalThis.gc?.({ type: 'major', execution: 'sync' });
  },
};

/** At process start, until an audit's reads loosen it and its judgement tightens it (src/audit.ts, collectAudit). */
export function tuneHeapForAudit(): void {
  setFlagsFromString(START_HEAP_GROWTH);
}
