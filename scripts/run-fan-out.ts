// Runs the fan-out's state machine locally (docs/fan-out.md): the plan step, each shard in turn (a shard that
// throws is caught as the state machine's Catch does, after its retries: { failed: true, error }), then the merge,
// with the real Lambda steps (src/handler.ts's plan, shard and merge), each given a Lambda context whose deadline
// it sizes its time budget from. Like scripts/run-handler.ts it reads nothing but its arguments and the environment
// (PARTS_BUCKET, AUDIT_SHARD_SIZE and the audit's own), so it runs against the local sandbox as against a real
// account.
//
//   node scripts/run-fan-out.ts [--event JSON] [--shard-timeout-seconds N]
//
// --shard-timeout-seconds: each shard's Lambda timeout (default 900, serverless.yml's); the plan has 300, the merge
// 900. Prints one JSON object: { plan, results, merged }. Exit 0 when the merge returned, 1 when a step threw.
import { parseArgs } from 'node:util';
import { merge, plan, shard } from '../src/handler.ts';
import type { ShardResult } from '../src/lambda/fan-out.ts';
import { lambdaContext } from './lambda-context.ts';

const context = (step: string, seconds: number) =>
  lambdaContext(`eks-oidc-auditor-local-${step}`, seconds * 1000);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { event: { type: 'string' }, 'shard-timeout-seconds': { type: 'string' } },
  });
  const event: unknown = JSON.parse(values.event ?? '{"trigger":"schedule"}');
  const shardSeconds = Number(values['shard-timeout-seconds'] ?? 900);
  if (!Number.isFinite(shardSeconds) || shardSeconds <= 0)
    throw new Error('--shard-timeout-seconds: expected a number > 0');
  const planned = await plan(event, context('plan', 300));
  const results: ShardResult[] = [];
  for (const item of planned.shards) {
    try {
      results.push(
        await shard(
          { runId: planned.runId, event: planned.event, shard: item },
          context('shard', shardSeconds),
        ),
      );
    } catch (error) {
      results.push({
        shard: item,
        failed: true,
        error: `${(error as Error).name}: ${(error as Error).message}`,
      });
    }
  }
  const merged = await merge({ runId: planned.runId, event: planned.event, results }, context('merge', 900));
  process.stdout.write(`${JSON.stringify({ plan: planned, results, merged })}\n`);
}

await main();
