// The fan-out's Lambda steps (src/lambda/fan-out.ts) as the state machine runs them (scripts/run-fan-out.ts): the
// demo world planned into shards of two accounts, each shard's part written to the parts bucket on the sandbox's S3,
// and the merge judging and publishing them; the published report is the one a single invocation returns. A shard
// that fails after its retries costs its accounts, named, and nothing else.
import { afterEach, describe, expect, it } from 'vitest';
import {
  lambdaEnvironment,
  runHandler,
  runNode,
  sandboxProcessEnv,
} from '../../scripts/sandbox-processes.ts';
import type { Report } from '../../src/report/types.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { loadWorld, type World, type WorldInput } from '../sandbox/world.ts';
import { DEMO_WORLD } from './support/demo.ts';
import {
  FAN_OUT_EVENT as EVENT,
  fanOutBuckets,
  fanOutEnvironment,
  mergedReport,
  PARTS,
  REPORTS,
} from './support/fan-out.ts';
import { hungEverywhere } from './support/hung-service.ts';

let sandbox: Sandbox | undefined;
/** A second sandbox: the world as it is later, for the steps that run then. */
let later: Sandbox | undefined;
afterEach(async () => {
  await Promise.all([sandbox?.stop(), later?.stop()]);
  sandbox = undefined;
  later = undefined;
});

async function demoWith(faults: WorldInput['faults'] = {}) {
  const demo = await loadWorld(DEMO_WORLD);
  const world: WorldInput = {
    ...demo,
    s3Buckets: fanOutBuckets(),
    faults: { ...demo.faults, ...faults },
  };
  sandbox = await startSandbox(world);
  return { world: sandbox.world, sandbox };
}

interface FanOutRun {
  plan: { runId: string; shards: unknown[] };
  results: { failed?: boolean; error?: string }[];
  merged?: { summary: Report['summary']; shardsFailed: number };
  mergeError?: string;
}

async function runFanOut(world: World, box: Sandbox, args: string[] = [], env: Record<string, string> = {}) {
  const run = await runNode(['scripts/run-fan-out.ts', '--event', JSON.stringify(EVENT), ...args], {
    env: sandboxProcessEnv(box, { ...fanOutEnvironment(world), ...env }),
    timeoutMs: 120_000,
  });
  const out = JSON.parse(run.stdout.trim().split('\n').at(-1) || '{}') as FanOutRun;
  return { run, out };
}

async function fanOut(world: World, box: Sandbox, args: string[] = [], env: Record<string, string> = {}) {
  const { run, out } = await runFanOut(world, box, args, env);
  expect(run.code, run.stderr).toBe(0);
  return { out, report: mergedReport(box) };
}

/** What one invocation of the audit function reports of the world (a dry run): what the fan-out must match. */
async function singleInvocation(world: World, box: Sandbox) {
  const single = await runHandler(box, {
    event: { ...EVENT, dryRun: true },
    env: lambdaEnvironment(world),
    timeoutMs: 60_000,
  });
  expect(single.code, single.stderr).toBe(0);
  return single;
}

describe('the fan-out state machine over the demo world', () => {
  it('plans shards, writes their parts and publishes exactly the report of a single invocation', async () => {
    // Prepare: the single invocation's report
    const { world, sandbox: box } = await demoWith();
    const single = await singleInvocation(world, box);

    // Act
    const { out, report } = await fanOut(world, box);

    // Assess: every shard's part in the parts bucket, and the merge's report
    const shards = out.plan.shards.length;
    expect(shards).toBe(Math.ceil((single.report?.scope.accounts.length ?? 0) / 2));
    expect(box.s3.keys(PARTS)).toEqual([
      `runs/${out.plan.runId}/part-1.json.gz`,
      `runs/${out.plan.runId}/part-2.json.gz`,
      `runs/${out.plan.runId}/plan.json`,
    ]);
    expect(out.merged?.shardsFailed).toBe(0);
    expect(report.findings).toEqual(single.report?.findings);
    expect(report.summary).toEqual(single.report?.summary);
  });

  it('names the accounts of a shard that failed after its retries, and judges the rest', async () => {
    // Prepare: the plan is written, then shard 1 cannot write its part (S3 answers 503 to every attempt of its
    // upload: the publish clients' six)
    const { world, sandbox: box } = await demoWith({
      failFirst: [{ service: 's3', operation: 'PutObject', after: 1, count: 6, error: 'unavailable' }],
    });

    // Act
    const { out, report } = await fanOut(world, box);

    // Assess
    expect(out.results.map((r) => r.failed === true)).toEqual([true, false]);
    expect(out.merged?.shardsFailed).toBe(1);
    const lost = report.errors.filter((e) => e.code === 'ShardFailed');
    expect(lost.map((e) => e.accountId)).toEqual(report.scope.accounts.slice(0, 2));
    expect(lost[0]?.message).toContain('shard 1/2, which was to read account');
    expect(report.findings.some((f) => f.check === 'audit-error' && f.message.includes('ShardFailed'))).toBe(
      true,
    );
    expect(
      report.findings
        .filter((f) => f.check !== 'audit-error')
        .every((f) => !report.scope.accounts.slice(0, 2).includes(f.accountId ?? '')),
    ).toBe(true);
  });

  it('a shard past its time budget writes a partial part naming what it did not read, and the merge judges it', async () => {
    // Prepare: EKS hangs; each shard has 8 s, so its budget ends while every EKS call waits
    const { world, sandbox: box } = await demoWith(hungEverywhere('eks'));

    // Act
    const { out, report } = await fanOut(world, box, ['--shard-timeout-seconds', '8']);

    // Assess: no shard failed; each part named its unread regions, and the merge judged the rest
    expect(out.results.map((r) => r.failed === true)).toEqual(out.plan.shards.map(() => false));
    const eks = report.findings.filter((f) => f.check === 'audit-error' && f.resource.startsWith('region:'));
    expect(eks.length).toBeGreaterThan(0);
    for (const finding of eks) expect(finding.message).toContain('(time budget (eks))');
    expect(report.accounts.every((a) => a.regionsAudited.length === 0)).toBe(true);
    expect(report.accounts.some((a) => a.providersAudited && a.rolesAudited)).toBe(true);
    expect(report.summary.coverage.percent).toBe(0);
    expect(report.findings.some((f) => f.check !== 'audit-error')).toBe(true);
  });

  it('reads every account of the plan when an account joins the organization between plan and shards', async () => {
    // Prepare: the single invocation's report; for the shards, an organization that has one more account (its
    // Organizations endpoint a second sandbox whose organization is the demo's and one account more)
    const { world, sandbox: box } = await demoWith();
    const single = await singleInvocation(world, box);
    const demo = await loadWorld(DEMO_WORLD);
    const joined = { id: '555555555555', name: 'joined-meanwhile', ou: '/Workloads/Dev' };
    later = await startSandbox({ ...demo, accounts: [...demo.accounts, joined] });
    expect(later.world.accounts.map((a) => a.id)).toContain(joined.id);

    // Act
    const { out, report } = await fanOut(world, box, [
      '--shard-env',
      `AWS_ENDPOINT_URL_ORGANIZATIONS=${later.endpoint}`,
    ]);

    // Assess: no shard failed, and the report is the single invocation's: the plan's accounts, each read
    expect(out.results.map((r) => r.failed === true)).toEqual(out.plan.shards.map(() => false));
    expect(report.scope.accounts).toEqual(single.report?.scope.accounts);
    expect(report.scope.accounts).not.toContain(joined.id);
    expect(report.errors).toEqual(single.report?.errors);
    expect(report.findings).toEqual(single.report?.findings);
    expect(report.summary).toEqual(single.report?.summary);
  });

  it("a shard whose configuration is not its plan's fails before reading, naming both splits", async () => {
    // Prepare: after the plan, a deploy excludes one account: the shards' filters are not the plan's
    const { world, sandbox: box } = await demoWith();
    const leaving = world.accounts.at(-1)?.id ?? '';

    // Act
    const { run, out } = await runFanOut(world, box, ['--shard-env', `AUDIT_EXCLUDE_ACCOUNTS=${leaving}`]);

    // Assess: every shard failed on the plan, before writing a part; the merge had nothing to judge
    expect(run.code).toBe(1);
    expect(out.results.map((r) => r.failed)).toEqual(out.plan.shards.map(() => true));
    expect(out.results[0]?.error).toMatch(
      /^PlanMismatch: the plan s3:\/\/\S+\/plan\.json was made under other regions or account filters \(split \w+\) than this step's configuration \(split \w+\)/,
    );
    expect(box.s3.keys(PARTS).filter((key) => key.includes('/part-'))).toEqual([]);
    expect(out.mergeError).toBe('no parts to merge: every shard failed');
  });

  it('the merge stops publishing before its deadline when an endpoint hangs, and says so', async () => {
    // Prepare: CloudWatch hangs (only the merge publishes metrics); the merge has 10 s
    const { world, sandbox: box } = await demoWith(hungEverywhere('cloudwatch'));

    // Act
    const { run, out } = await runFanOut(world, box, ['--merge-timeout-seconds', '10']);

    // Assess: the publish deadline cut the metrics off; what else could be published was
    expect(run.code).toBe(1);
    // Aborted by the publish deadline (8 s in): a request time-out (20 s) would have said TimeoutError
    expect(out.mergeError).toBe('publishing failed: metrics not sent: AbortError: Request aborted');
    expect(box.s3.keys(REPORTS).some((key) => key.endsWith('report.json.gz'))).toBe(true);
  });
});
