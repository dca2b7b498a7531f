// Runs one fan-out step (src/handler.ts's plan, shard or merge) in its own process, as its own Lambda function
// would: with the credentials of that function's role only (the environment's), a context with a deadline.
//
//   node test/deploy/support/run-step.ts plan|shard|merge INPUT_JSON
//
// Prints the step's result as one JSON line; exit 1 when it threw.
import { merge, plan, shard } from '../../../src/handler.ts';

// serverless.yml's `timeout`, as the Lambda runtime gives it: the steps may size their time budget from it.
const DEADLINE = Date.now() + 900_000;
const context = { getRemainingTimeInMillis: () => DEADLINE - Date.now() };

type Step = (input: unknown, context?: unknown) => Promise<unknown>;
const steps: Record<string, Step> = { plan, shard, merge } as Record<string, Step>;

const [name = '', input = '{}'] = process.argv.slice(2);
const step = steps[name];
if (!step) throw new Error(`step: expected plan, shard or merge, got ${JSON.stringify(name)}`);
process.stdout.write(`${JSON.stringify(await step(JSON.parse(input), context))}\n`);
