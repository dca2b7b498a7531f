// The Lambda as it is deployed: `serverless package`'s zip, unpacked alone into a directory as Lambda unpacks it,
// its exported handlers invoked in a Node 24 child process (scripts/run-handler.ts and scripts/run-fan-out.ts with
// --module) against the sandbox. Every feature that loads a chunk of its own is driven through it: the EC2 region
// fallback, Security Hub, accepted risks from SSM and from S3, reports to S3, and the fan-out's plan, shard and
// merge with a parts bucket. The zip's audit must return exactly what the source handler returns on the same world.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type HandlerRun,
  lambdaEnvironment,
  runHandler,
  runNode,
  sandboxProcessEnv,
} from '../scripts/sandbox-processes.ts';
import {
  artefactWorld,
  MUTED_ROLE,
  markEffects,
  PARTS_BUCKET,
  REPORT_BUCKET,
  SUPPRESSIONS_OBJECT,
  SUPPRESSIONS_PARAMETER,
  storedReport,
  withoutTimes,
} from './e2e/support/artefact-world.ts';
import { type Sandbox, startSandbox } from './sandbox/server.ts';
import type { World } from './sandbox/world.ts';
import { type PackagedService, packageService } from './support/service.ts';
import { unpackZip } from './support/zip.ts';

let packaged: PackagedService;
/** src/handler.js of the unpacked zip. */
let zipHandler: string;
let sandbox: Sandbox;
let world: World;

beforeAll(async () => {
  // Prepare: one package run for the whole suite, and the world every test reads
  const [service, input] = await Promise.all([packageService(), artefactWorld()]);
  packaged = service;
  const task = join(packaged.out, 'task');
  unpackZip(join(packaged.out, 'eks-oidc-auditor.zip'), task);
  zipHandler = join(task, 'src', 'handler.js');
  sandbox = await startSandbox(input);
  world = sandbox.world;
}, 300_000);

afterAll(async () => {
  await sandbox?.stop();
  packaged?.remove();
});

/** The stack's configuration over this world, and `extra`: what a deployment with those params would set. */
const configured = (extra: Record<string, string>) => ({
  ...lambdaEnvironment(world),
  POWERTOOLS_LOG_LEVEL: 'WARN',
  ...extra,
});

/** The same invocation of the source handler, then of the zip's, against the same sandbox. */
async function both(event: unknown, env: Record<string, string>) {
  const options = { event, env: configured(env), timeoutMs: 60_000 };
  const source = await runHandler(sandbox, options);
  const effects = markEffects(sandbox);
  const zip = await runHandler(sandbox, { ...options, module: zipHandler });
  return { source, zip, effects };
}

const mutedOf = (run: HandlerRun) =>
  run.report?.findings.filter((finding) => finding.muted).map((finding) => finding.resource);

// Each test's time-out covers its children's (60 s, the fan-out's 90 s), so a hung child fails as itself.
describe("the deployment zip's handler", { timeout: 160_000 }, () => {
  it('falls back to ec2:DescribeRegions, imports into Security Hub, mutes from SSM and stores the reports in S3, as the source does', async () => {
    // Act: a run that publishes, as the schedule's does
    const run = await both(
      { trigger: 'manual', dryRun: false },
      { SECURITY_HUB: 'true', AUDIT_SUPPRESSIONS_PARAMETER: SUPPRESSIONS_PARAMETER, REPORT_BUCKET },
    );

    // Assess
    expect(run.source.code, run.source.stderr).toBe(0);
    expect(run.zip.code, run.zip.stderr).toBe(0);
    const report = run.zip.report;
    expect(withoutTimes(report)).toEqual(withoutTimes(run.source.report));
    expect(report?.errors.filter((error) => error.stage === 'list-regions')).toEqual([]);
    expect(run.effects.calls('account', 'ListRegions')).toBeGreaterThan(0);
    expect(run.effects.calls('ec2', 'DescribeRegions')).toBeGreaterThanOrEqual(report?.accounts.length ?? 1);
    expect(run.effects.calls('ssm', 'GetParameter')).toBe(1);
    expect(mutedOf(run.zip)).toEqual([MUTED_ROLE]);
    expect(run.effects.calls('securityhub', 'BatchImportFindings')).toBeGreaterThan(0);
    expect(
      sandbox.securityhub
        .findings()
        .map((finding) => finding.Id)
        .sort(),
    ).toEqual(report?.findings.map((finding) => `eks-oidc-auditor/${finding.id}`).sort());
    const stored = run.effects.reports();
    expect(stored.filter((key) => key.endsWith('.html'))).toHaveLength(1);
    const json = stored.find((key) => key.endsWith('report.json.gz')) ?? '';
    expect(storedReport(sandbox, json).findings).toEqual(report?.findings);
  });

  it('mutes from an S3 object, as the source does', async () => {
    // Act
    const run = await both(
      { trigger: 'manual', dryRun: true },
      { AUDIT_SUPPRESSIONS_OBJECT: SUPPRESSIONS_OBJECT },
    );

    // Assess
    expect(run.zip.code, run.zip.stderr).toBe(0);
    expect(withoutTimes(run.zip.report)).toEqual(withoutTimes(run.source.report));
    expect(run.zip.report?.suppressions?.source).toBe(SUPPRESSIONS_OBJECT);
    expect(mutedOf(run.zip)).toEqual([MUTED_ROLE]);
    expect(run.effects.calls('s3', 'GetObject')).toBeGreaterThan(0);
  });

  it('plans shards, writes their parts and merges them into the report a single invocation returns', async () => {
    // Prepare: the single invocation's report, from the zip
    const env = configured({ PARTS_BUCKET, REPORT_BUCKET });
    const single = await runHandler(sandbox, {
      event: { trigger: 'manual', dryRun: true },
      env,
      module: zipHandler,
      timeoutMs: 60_000,
    });
    expect(single.code, single.stderr).toBe(0);
    const effects = markEffects(sandbox);

    // Act: the state machine's steps, from the zip
    const run = await runNode(
      ['scripts/run-fan-out.ts', '--module', zipHandler, '--event', JSON.stringify({ trigger: 'manual' })],
      { env: sandboxProcessEnv(sandbox, { ...env, AUDIT_SHARD_SIZE: '2' }), timeoutMs: 90_000 },
    );

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
      plan: { runId: string; shards: unknown[] };
      merged: { shardsFailed: number };
    };
    expect(out.plan.shards).toHaveLength(Math.ceil((single.report?.scope.accounts.length ?? 0) / 2));
    expect(out.merged.shardsFailed).toBe(0);
    const parts = sandbox.s3
      .keys(PARTS_BUCKET)
      .filter((key) => key.startsWith(`runs/${out.plan.runId}/part-`));
    expect(parts).toHaveLength(out.plan.shards.length);
    const merged = effects.reports().find((key) => key.endsWith('report.json.gz'));
    const report = storedReport(sandbox, merged ?? '');
    expect(report.findings).toEqual(single.report?.findings);
    expect(report.summary).toEqual(single.report?.summary);
  });
});
