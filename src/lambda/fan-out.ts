// The fan-out's three Lambda steps (docs/fan-out.md), run by the state machine of serverless.yml when the stack's
// fanOut parameter is on: plan (how many shards), shard (one share of the accounts, its part to the parts bucket),
// merge (every part judged and published as one audit). Each step resolves its own configuration from the event
// the state machine passes along and the function's environment; no credentials or regions pass between steps.

import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createCallLanes } from '../clients/limit.ts';
import { fanOutSettings } from '../config/fan-out.ts';
import type { Shard } from '../config/input.ts';
import { configFromEvent } from '../config/lambda-event.ts';
import { defaultDeps, defaultPublishDepsFor } from '../deps.ts';
import type { FailedShard } from '../inventory/part.ts';
import { runMerge, runShard } from '../pipeline.ts';
import { describeOutcome } from '../publish/index.ts';
import type { Report } from '../report/types.ts';
import { whoAmI } from '../scope/caller.ts';
import { accountsInScope, shardOf } from '../scope/resolve.ts';
import { publishLog } from './run-log.ts';

type Env = Record<string, string | undefined>;

/** What the plan step returns, and the state machine hands to each shard (with its shard) and to the merge. */
export interface Plan {
  runId: string;
  /** The event that started the run (schedule or manual), as each step reads its configuration from it. */
  event: unknown;
  shards: Shard[];
  /** Shards run at once (SHARD_CONCURRENCY). */
  maxConcurrency: number;
}

export type ShardResult = { shard: Shard; key: string } | { shard: Shard; failed: true; error?: string };

export interface FanOutDeps {
  env: Env;
  /** The parts bucket's client. */
  s3: () => Promise<S3Client>;
  logger: Logger;
  newRunId: () => string;
}

const planKey = (runId: string) => `runs/${runId}/plan.json`;
const partKey = (runId: string, index: number) => `runs/${runId}/part-${index}.json.gz`;

export function createFanOutSteps(deps: FanOutDeps) {
  const settings = () => fanOutSettings(deps.env);
  const homeRegion = () => deps.env.AWS_REGION ?? 'us-east-1';

  return {
    /** Lists the accounts in scope and splits them into shards of AUDIT_SHARD_SIZE. */
    async plan(event: unknown): Promise<Plan> {
      const { bucket, shardSize, concurrency } = settings();
      const { config } = configFromEvent(event, deps.env);
      const audit = defaultDeps(config, deps.env);
      const caller = await whoAmI(audit.clients, homeRegion());
      const calls = createCallLanes(config.concurrency);
      const accounts = await accountsInScope(config, { clients: audit.clients, caller, calls });
      const count = Math.max(1, Math.ceil(accounts.length / shardSize));
      const runId = deps.newRunId();
      // For the merge: the accounts of a shard that fails are named, not lost.
      await (await deps.s3()).send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: planKey(runId),
          Body: JSON.stringify({ accounts, count }),
          ContentType: 'application/json',
        }),
      );
      deps.logger.info('fan-out planned', { runId, accounts: accounts.length, shards: count });
      return {
        runId,
        event,
        shards: Array.from({ length: count }, (_, i) => ({ index: i + 1, count })),
        maxConcurrency: concurrency,
      };
    },

    /** Reads one shard and writes its part to the parts bucket. */
    async shard(input: { runId: string; event: unknown; shard: Shard }) {
      const { bucket } = settings();
      const { config } = configFromEvent(input.event, deps.env);
      const dir = await mkdtemp(join(tmpdir(), 'shard-'));
      try {
        const file = join(dir, 'part.json.gz');
        const part = await runShard({ ...config, shard: input.shard }, defaultDeps(config, deps.env), file);
        const key = partKey(input.runId, input.shard.index);
        const { Upload } = await import('@aws-sdk/lib-storage');
        await new Upload({
          client: await deps.s3(),
          params: { Bucket: bucket, Key: key, Body: createReadStream(file), ContentType: 'application/gzip' },
        }).done();
        deps.logger.info('shard written', {
          shard: `${input.shard.index}/${input.shard.count}`,
          accounts: part.inventory.accounts.length,
          clusters: part.inventory.clusters.length,
          key,
        });
        return { shard: input.shard, key } satisfies ShardResult;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },

    /** Judges every part as one audit and publishes it; a failed shard's accounts become audit errors. */
    async merge(input: { runId: string; event: unknown; results: ShardResult[] }) {
      const { bucket } = settings();
      const { config } = configFromEvent(input.event, deps.env);
      const s3 = await deps.s3();
      const dir = await mkdtemp(join(tmpdir(), 'merge-'));
      try {
        const parts: string[] = [];
        const failures = input.results.filter((result) => 'failed' in result);
        for (const result of input.results) {
          if ('failed' in result) continue;
          const file = join(dir, `part-${result.shard.index}.json.gz`);
          const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: result.key }));
          await pipeline(object.Body as NodeJS.ReadableStream, createWriteStream(file));
          parts.push(file);
        }
        let failed: FailedShard[] = [];
        if (failures.length > 0) {
          const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: planKey(input.runId) }));
          const plan = JSON.parse((await object.Body?.transformToString()) ?? '{}') as { accounts: string[] };
          failed = failures.map((result) => ({
            shard: result.shard,
            accounts: shardOf(plan.accounts, result.shard),
            reason: ('error' in result && result.error) || 'no cause given',
          }));
        }
        const { report, published } = await runMerge(
          config,
          { parts, failed },
          {
            audit: defaultDeps(config, deps.env),
            publish: () =>
              defaultPublishDepsFor(config, deps.env, publishLog(deps.logger), new AbortController().signal),
          },
        );
        deps.logger.info('audit finished', { summary: report.summary, shardsFailed: failed.length });
        if (published) deps.logger.info('published', { outcome: describeOutcome(published) });
        // The state's payload is at most 256 KB: the summary, not the report (REPORT_BUCKET keeps that).
        return {
          runId: input.runId,
          summary: report.summary satisfies Report['summary'],
          shardsFailed: failed.length,
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'eks-oidc-auditor' });
const steps = createFanOutSteps({
  env: process.env,
  s3: async () => {
    const { createPublishClients } = await import('../clients/aws.ts');
    return createPublishClients().s3(process.env.AWS_REGION ?? 'us-east-1');
  },
  logger,
  newRunId: () => new Date().toISOString().replace(/[:.]/g, '-'),
});
export const plan = steps.plan;
export const shard = steps.shard;
export const merge = steps.merge;
