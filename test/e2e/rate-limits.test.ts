// AWS throttles each account (and region) over its request rate. With the sandbox answering as AWS does, an
// organization whose accounts each send more than their rate allows must still be audited whole: the lanes keep
// each account's calls few, the SDK's adaptive retry paces the rest, and nothing is lost or reported blind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../scripts/sandbox-processes.ts';
import type { Report } from '../../src/report/types.ts';
import { generateWorld } from '../sandbox/generate.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';

const THROTTLE_CODES = ['Throttling', 'ThrottlingException', 'TooManyRequestsException'];

describe('an organization whose accounts go over their request rates', () => {
  let sandbox: Sandbox;
  let report: Report;
  let stderr: string;

  beforeAll(async () => {
    // Prepare: 4 accounts × 2 regions × 12 clusters; IAM lets an account 5 calls a second after a burst of 5
    // (each account makes 26), EKS 4 a second per account and region after a burst of 4 (each makes 37)
    const world = generateWorld({
      accounts: 4,
      regions: 2,
      clustersPerRegion: 12,
      faults: {
        latencyMs: 5,
        rateLimits: {
          iam: { perSecond: 5, burst: 5, scope: 'account' },
          eks: { perSecond: 4, burst: 4, scope: 'account-region' },
        },
      },
    });
    sandbox = await startSandbox(world, { logEntries: false });

    // Act
    const run = await runCli(sandbox, ['--accounts', 'org', '--regions', 'all', '--format', 'json'], {
      env: { AWS_MAX_ATTEMPTS: '10' },
      timeoutMs: 120_000,
    });
    stderr = run.stderr;
    expect(run.code, run.stderr).toBe(0);
    report = JSON.parse(run.stdout) as Report;
  }, 150_000);
  afterAll(() => sandbox?.stop());

  it('was throttled, as AWS would throttle it', () => {
    const throttled = THROTTLE_CODES.reduce((n, code) => n + sandbox.log.errors(code), 0);
    expect(throttled).toBeGreaterThan(0);
    expect(sandbox.log.errors('ThrottlingException')).toBeGreaterThan(0);
  });

  it('audited every account, region, cluster, provider and role all the same', () => {
    expect(report.errors, stderr).toEqual([]);
    expect(report.summary).toMatchObject({ clusters: 96, providers: 96, roles: 100, errors: 0 });
    expect(report.accounts.map((a) => a.regionsAudited.length)).toEqual([2, 2, 2, 2]);
    expect(report.findings.filter((f) => f.check === 'audit-error')).toEqual([]);
  });
});
