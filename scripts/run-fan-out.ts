// Runs the fan-out's state machine locally (docs/fan-out.md): the plan step, each shard in turn (a shard that
// throws is caught as the state machine's Catch does, after its retries: { failed: true, error }), then the merge,
// with the real Lambda steps (src/handler.ts's plan, shard and merge), each given a Lambda context whose deadline
// it sizes its time budget from. Like scripts/run-handler.ts it reads nothing but its arguments and the environment
// (PARTS_BUCKET, AUDIT_SHARD_SIZE and the audit's own), so it runs against the local sandbox as against a real
// account.
//
//   node scripts/run-fan-out.ts [--event JSON] [--module FILE] [--shard-timeout-seconds N]
//                               [--merge-timeout-seconds N] [--shard-env NAME=VALUE ...]
//
// --module runs another module's plan, shard and merge, such as the handler.js of the deployment zip.
//
// --shard-timeout-seconds, --merge-timeout-seconds: the Lambda timeout of each shard, and of the merge (default
// 900, serverless.yml's); the plan has 300. --shard-env: an environment variable set for the shards only (a configuration or an endpoint as it is after the plan).
// Prints one JSON object: { plan, results, merged } when the merge returned (exit 0), { plan, results,
// mergeError } when it threw (exit 1); exit 1 with no output when the plan threw.
import { parseArgs } from 'node:util';
import type { ShardResult } from '../src/lambda/fan-out.ts';
import { handlerModule } from './handler-module.ts';
import { lambdaContext } from './lambda-context.ts';

const context = (step: string, seconds: number) =>
  lambdaContext(`eks-oidc-auditor-local-${step}`, seconds * 1000);

function seconds(value: string | undefined, flag: string): number {
  const parsed = Number(value ?? 900);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${flag}: expected a number > 0`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      event: { type: 'string' },
      module: { type: 'string' },
      'shard-timeout-seconds': { type: 'string' },
      'merge-timeout-seconds': { type: 'string' },
      'shard-env': { type: 'string', multiple: true },
    },
  });
  const { plan, shard, merge } = (await import(
    handlerModule(values.module)
  )) as typeof import('../src/handler.ts');
  const event: unknown = JSON.parse(values.event ?? '{"trigger":"schedule"}');
  const shardSeconds = seconds(values['shard-timeout-seconds'], '--shard-timeout-seconds');
  const mergeSeconds = seconds(values['merge-timeout-seconds'], '--merge-timeout-seconds');
  const planned = await plan(event, context('plan', 300));
  // Set in place: the steps read the environment object they were made with.
  const before = { ...process.env };
  for (const setting of values['shard-env'] ?? []) {
    const [name = '', ...value] = setting.split('=');
    process.env[name] = value.join('=');
  }
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
  for (const setting of values['shard-env'] ?? []) {
    const name = setting.split('=')[0] ?? '';
    if (before[name] === undefined) delete process.env[name];
    else process.env[name] = before[name];
  }
  try {
    const merged = await merge(
      { runId: planned.runId, event: planned.event, results },
      context('merge', mergeSeconds),
    );
    process.stdout.write(`${JSON.stringify({ plan: planned, results, merged })}\n`);
  } catch (error) {
    process.stdout.write(
      `${JSON.stringify({ plan: planned, results, mergeError: (error as Error).message })}\n`,
    );
    process.exitCode = 1;
  }
}

await main();
