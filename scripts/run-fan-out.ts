// Runs the fan-out's state machine locally (docs/fan-out.md): the plan step, each shard in turn (a shard that
// throws is caught as the state machine's Catch does, after its retries: { failed: true, error }), then the merge,
// with the real Lambda steps (src/handler.ts's plan, shard and merge). Like scripts/run-handler.ts it reads nothing but its
// arguments and the environment (PARTS_BUCKET, AUDIT_SHARD_SIZE and the audit's own), so it runs against the
// local sandbox as against a real account.
//
//   node scripts/run-fan-out.ts [--event JSON] [--module FILE]
//
// --module runs another module's plan, shard and merge, such as the handler.js of the deployment zip.
//
// Prints one JSON object: { plan, results, merged }. Exit 0 when the merge returned, 1 when a step threw.
import { parseArgs } from 'node:util';
import type { ShardResult } from '../src/lambda/fan-out.ts';
import { handlerModule } from './handler-module.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { event: { type: 'string' }, module: { type: 'string' } } });
  const { plan, shard, merge } = (await import(
    handlerModule(values.module)
  )) as typeof import('../src/handler.ts');
  const event: unknown = JSON.parse(values.event ?? '{"trigger":"schedule"}');
  const planned = await plan(event);
  const results: ShardResult[] = [];
  for (const item of planned.shards) {
    try {
      results.push(await shard({ runId: planned.runId, event: planned.event, shard: item }));
    } catch (error) {
      results.push({
        shard: item,
        failed: true,
        error: `${(error as Error).name}: ${(error as Error).message}`,
      });
    }
  }
  const merged = await merge({ runId: planned.runId, event: planned.event, results });
  process.stdout.write(`${JSON.stringify({ plan: planned, results, merged })}\n`);
}

await main();
