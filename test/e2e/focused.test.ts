// A small organization end to end through the Lambda handler: the exact findings, partial failures reported as
// audit-error while the rest completes, and throttling retried to the same result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HandlerRun, runHandler } from '../../scripts/sandbox-processes.ts';
import type { Report } from '../../src/report/types.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { parseWorld, type World } from '../sandbox/world.ts';
import { CALLER_ID, MEMBER_ID, OTHER_ID } from '../sandbox/world-builders.ts';
import { assertFindings } from './support/expected-findings.ts';
import { EXTERNAL_ID, focusedWorld } from './support/worlds.ts';

const LAMBDA_ENV = { AUDIT_ACCOUNTS: 'org', AUDIT_EXTERNAL_ID: EXTERNAL_ID };
const EVENT = { trigger: 'manual', dryRun: true };

function reportOf(run: HandlerRun): Report {
  if (!run.report) throw new Error(`the handler failed (exit ${run.code}):\n${run.stderr}\n${run.stdout}`);
  return run.report;
}

describe('a focused world, audited by the Lambda handler', () => {
  let world: World;
  let sandbox: Sandbox;
  let baseline: Report;

  beforeAll(async () => {
    // Prepare
    world = parseWorld(focusedWorld());
    sandbox = await startSandbox(world);

    // Act: the undisturbed run the tests below compare with
    baseline = reportOf(await runHandler(sandbox, { event: EVENT, env: LAMBDA_ENV }));
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('reports exactly the expected findings', () => {
    // Assess
    assertFindings(baseline.findings, world.expectedFindings);
  });

  it('names a denied AssumeRole and a disabled region as audit-error and audits everything else', () => {
    // Assess
    expect(baseline.scope.accounts).toEqual([CALLER_ID, MEMBER_ID, OTHER_ID]);
    expect(
      baseline.errors.map(({ accountId, region, stage, code }) => ({ accountId, region, stage, code })),
    ).toEqual(
      expect.arrayContaining([
        { accountId: OTHER_ID, region: null, stage: 'assume-role', code: 'AccessDenied' },
        { accountId: MEMBER_ID, region: 'ap-east-1', stage: 'eks', code: 'UnrecognizedClientException' },
      ]),
    );
    expect(baseline.errors).toHaveLength(2);
    expect(
      baseline.clusters.map((cluster) => `${cluster.accountId}/${cluster.region}/${cluster.name}`),
    ).toEqual([`${MEMBER_ID}/eu-west-1/eu`, `${MEMBER_ID}/us-east-1/prod`, `${MEMBER_ID}/us-east-1/stage`]);
    expect(baseline.summary).toMatchObject({ accounts: 2, clusters: 3, providers: 2, errors: 2 });
    expect(sandbox.log.assumeRoles.map(({ roleArn, outcome }) => ({ roleArn, outcome }))).toEqual(
      expect.arrayContaining([
        { roleArn: `arn:aws:iam::${OTHER_ID}:role/OIDCAuditRole`, outcome: 'AccessDenied' },
        { roleArn: `arn:aws:iam::${MEMBER_ID}:role/OIDCAuditRole`, outcome: 'ok' },
      ]),
    );
  });

  it('retries throttled IAM and EKS calls to the same findings', async () => {
    // Prepare: a quarter of IAM and EKS calls throttled, drawn from a fixed seed. Each request draws once, so
    // however the concurrent calls interleave, the run sees the same few throttles (5 for seed 7 and this world),
    // fewer than the SDK's 6 attempts: no call can be throttled out, and the test cannot flake.
    sandbox.log.reset();
    sandbox.faults.update({ throttleRate: { iam: 0.25, eks: 0.25 }, seed: 7 });

    // Act
    let throttled: Report;
    try {
      throttled = reportOf(await runHandler(sandbox, { event: EVENT, env: LAMBDA_ENV }));
    } finally {
      sandbox.faults.update({ throttleRate: 0 });
    }

    // Assess
    const throttles = sandbox.log.errors('Throttling') + sandbox.log.errors('ThrottlingException');
    expect(throttles).toBeGreaterThan(0);
    assertFindings(throttled.findings, world.expectedFindings);
    expect(throttled.findings.map((finding) => finding.id)).toEqual(
      baseline.findings.map((finding) => finding.id),
    );
    expect(throttled.errors).toEqual(baseline.errors);
  }, 30_000);
});
