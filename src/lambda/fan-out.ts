// The fan-out's three Lambda steps (docs/fan-out.md), run by the state machine of serverless.yml when the stack's
// fanOut parameter is on: plan (how many shards), shard (one share of the accounts, its part to the parts bucket),
// merge (every part judged and published as one audit). Each step resolves its own configuration from the event
// the state machine passes along and the function's environment; no credentials or regions pass between steps.
// The organization is listed once, by the plan: the shards take their accounts from the plan it stores.

import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '@aws-lambda-powertools/logger';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createCallLanes } from '../clients/limit.ts';
import { fanOutSettings } from '../config/fan-out.ts';
import type { Shard } from '../config/input.ts';
import { configFromEvent } from '../config/lambda-event.ts';
import type { AuditConfig } from '../config/schema.ts';
import { defaultDeps, defaultPublishDepsFor } from '../deps.ts';
import type { FailedShard } from '../inventory/part-merge.ts';
import { runMerge, runShard } from '../pipeline.ts';
import { describeOutcome } from '../publish/index.ts';
import type { Report } from '../report/types.ts';
import type { TimeBudget } from '../runtime/time-budget.ts';
import { whoAmI } from '../scope/caller.ts';
import { accountsInScope } from '../scope/resolve.ts';
import { splitOf } from '../scope/split.ts';
import { PlanMismatch, parsePlan, planText, type StoredPlan } from './plan-file.ts';
import { publishLog } from './run-log.ts';

type Env = Record<string, string | undefined>;

/**
 * A shard as the plan hands it to the state machine: which share of the split, and the split's fingerprint and
 * size, for the shard to check that the plan it reads its accounts from is the one made for it.
 */
export interface PlannedShard extends Shard {
  split: { fingerprint: string; accounts: number };
}

/** What the plan step returns, and the state machine hands to each shard (with its shard) and to the merge. */
export interface Plan {
  runId: string;
  /** The event that started the run (schedule or manual), as each step reads its configuration from it. */
  event: unknown;
  shards: PlannedShard[];
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

/** The steps of one invocation each; `budget` is the invocation's time budget (src/lambda/time-budget.ts). */
export type FanOutSteps = ReturnType<typeof createFanOutSteps>;

const planKey = (runId: string) => `runs/${runId}/plan.json`;
const partKey = (runId: string, index: number) => `runs/${runId}/part-${index}.json.gz`;

export function createFanOutSteps(deps: FanOutDeps) {
  const settings = () => fanOutSettings(deps.env);

  return {
    /**
     * Lists the accounts in scope, with their names and OU paths, and splits them into shards of AUDIT_SHARD_SIZE;
     * stores them as the run's plan, which each shard reads its accounts from and the merge checks parts against.
     */
    async plan(event: unknown, budget: TimeBudget): Promise<Plan> {
      const { bucket, shardSize, concurrency } = settings();
      const { config } = configFromEvent(event, deps.env);
      const audit = defaultDeps(config, deps.env, { signal: budget.signal });
      const caller = await whoAmI(audit.clients, audit.homeRegion, audit.profile);
      const calls = createCallLanes(config.concurrency, budget.signal);
      const accounts = await accountsInScope(config, { clients: audit.clients, caller, calls });
      const count = Math.max(1, Math.ceil(accounts.ids.length / shardSize));
      const runId = deps.newRunId();
      const split = splitOf(accounts.ids, count, config);
      // For the shards, which take their accounts from it, and for the merge, which checks the parts against the
      // split and names the accounts of a failed shard.
      await (await deps.s3()).send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: planKey(runId),
          Body: planText({ runId, split, accounts }),
          ContentType: 'application/json',
        }),
        { abortSignal: budget.publishSignal },
      );
      deps.logger.info('fan-out planned', {
        runId,
        accounts: split.accounts.length,
        shards: count,
        split: split.fingerprint,
      });
      const planned = { fingerprint: split.fingerprint, accounts: split.accounts.length };
      return {
        runId,
        event,
        shards: Array.from({ length: count }, (_, i) => ({ index: i + 1, count, split: planned })),
        maxConcurrency: concurrency,
      };
    },

    /**
     * Reads one shard of the plan's accounts within the invocation's time budget and writes its part to the parts
     * bucket: past the budget, what was not read is named in the part (`time budget` audit errors) as a single
     * audit names it. The accounts are the plan's, not the organization's of now: a shard does not list it.
     */
    async shard(input: { runId: string; event: unknown; shard: PlannedShard }, budget: TimeBudget) {
      const { bucket } = settings();
      const { config } = configFromEvent(input.event, deps.env);
      const { index, count } = input.shard;
      const plan = await readPlan(await deps.s3(), bucket, input.runId, config, {
        abortSignal: budget.signal,
      });
      plannedFor(plan, input.shard);
      const dir = await mkdtemp(join(tmpdir(), 'shard-'));
      try {
        const file = join(dir, 'part.json.gz');
        const audit = {
          ...defaultDeps(config, deps.env, { signal: budget.signal }),
          planned: plan.accounts,
        };
        const part = await runShard({ ...config, shard: { index, count } }, audit, file, {
          runId: input.runId,
        });
        const key = partKey(input.runId, index);
        const { Upload } = await import('@aws-sdk/lib-storage');
        const abortController = new AbortController();
        budget.publishSignal.addEventListener('abort', () =>
          abortController.abort(budget.publishSignal.reason),
        );
        await new Upload({
          client: await deps.s3(),
          params: { Bucket: bucket, Key: key, Body: createReadStream(file), ContentType: 'application/gzip' },
          abortController,
        }).done();
        deps.logger.info('shard written', {
          shard: `${index}/${count}`,
          accounts: part.inventory.accounts.length,
          clusters: part.inventory.clusters.length,
          outOfTime: budget.signal.aborted,
          key,
        });
        return { shard: { index, count }, key } satisfies ShardResult;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },

    /**
     * Judges every part of the run as one audit and publishes it before the invocation's deadline. Each part must
     * be of this run and of the plan's split; a failed shard's accounts, and the plan's accounts no part holds,
     * become audit errors.
     */
    async merge(input: { runId: string; event: unknown; results: ShardResult[] }, budget: TimeBudget) {
      const { bucket } = settings();
      const { config } = configFromEvent(input.event, deps.env);
      const s3 = await deps.s3();
      const read = { abortSignal: budget.signal };
      const dir = await mkdtemp(join(tmpdir(), 'merge-'));
      try {
        const plan = await readPlan(s3, bucket, input.runId, config, read);
        const parts: { path: string; source: string }[] = [];
        const failed: FailedShard[] = [];
        for (const result of input.results) {
          if ('failed' in result) {
            failed.push({ shard: result.shard, reason: result.error || 'no cause given' });
            continue;
          }
          const path = join(dir, `part-${result.shard.index}.json.gz`);
          const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: result.key }), read);
          await pipeline(object.Body as NodeJS.ReadableStream, createWriteStream(path));
          parts.push({ path, source: `s3://${bucket}/${result.key}` });
        }
        const { report, published } = await runMerge(
          config,
          { parts, failed, of: { runId: input.runId, split: plan.split } },
          {
            audit: defaultDeps(config, deps.env, { signal: budget.signal }),
            publish: () =>
              defaultPublishDepsFor(config, deps.env, publishLog(deps.logger), budget.publishSignal),
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

/**
 * Throws PlanMismatch when the stored plan is not the one the state machine's plan handed this shard (its split
 * of another fingerprint or count): the plan object was replaced or is corrupt.
 */
function plannedFor(plan: StoredPlan, shard: PlannedShard): void {
  const { fingerprint, count } = plan.split;
  if (fingerprint === shard.split.fingerprint && count === shard.count) return;
  throw new PlanMismatch(
    `shard ${shard.index}/${shard.count}: the stored plan of run ${plan.runId} is of split ${fingerprint} in ${count} shards, where the state machine's plan had split ${shard.split.fingerprint} in ${shard.count}`,
  );
}

/** The run's plan, checked: of this run, whole, and made under this configuration's regions and filters. */
async function readPlan(
  s3: S3Client,
  bucket: string,
  runId: string,
  config: AuditConfig,
  options: { abortSignal: AbortSignal },
): Promise<StoredPlan> {
  const key = planKey(runId);
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), options);
  const text = (await object.Body?.transformToString()) ?? '';
  return parsePlan(text, `the plan s3://${bucket}/${key}`, runId, config);
}

/** The steps as the deployed functions run them: the parts bucket in the function's region. */
export function defaultFanOutSteps(logger: Logger): FanOutSteps {
  return createFanOutSteps({
    env: process.env,
    s3: async () => {
      const { createPublishClients } = await import('../clients/aws.ts');
      return createPublishClients().s3(process.env.AWS_REGION ?? 'us-east-1');
    },
    logger,
    newRunId: () => new Date().toISOString().replace(/[:.]/g, '-'),
  });
}
