// An AWS endpoint that accepts the connection and never answers: every run must still end on time, with what it
// could not read named as audit-error findings, and the rest of the audit intact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runHandler } from '../../scripts/sandbox-processes.ts';
import type { Finding } from '../../src/model/finding.ts';
import type { Report } from '../../src/report/types.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { parseWorld, type World } from '../sandbox/world.ts';
import { hungEverywhere } from './support/hung-service.ts';
import { EXTERNAL_ID, focusedWorld } from './support/worlds.ts';

/** The account × region pairs whose EKS the audit reaches (accounts it may enter), as `account/region`. */
function eksPairs(world: World): string[] {
  return world.accounts
    .filter((account) => !account.denyAssumeRole)
    .flatMap((account) => (account.regions ?? []).map((region) => `${account.id}/${region}`))
    .sort();
}

function eksErrors(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.check === 'audit-error' && f.resource.startsWith('region:'));
}

describe('an EKS endpoint that never answers', () => {
  let world: World;
  let sandbox: Sandbox;

  beforeAll(async () => {
    world = parseWorld(focusedWorld());
    sandbox = await startSandbox(world);
    sandbox.faults.update(hungEverywhere('eks'));
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('the Lambda handler returns before its deadline, naming each unread region', async () => {
    // Prepare: an 8 s Lambda; the default 20 s request time-out would outlast it, so only the budget helps
    const env = { AUDIT_ACCOUNTS: 'org', AUDIT_EXTERNAL_ID: EXTERNAL_ID };

    // Act
    const run = await runHandler(sandbox, {
      event: { trigger: 'manual', dryRun: true },
      env,
      lambdaTimeoutSeconds: 8,
      timeoutMs: 30_000,
    });

    // Assess: it returned a report within its 8 s
    expect(run.report, run.stderr).toBeDefined();
    const finished = run.logs.find((line) => line.message === 'audit finished');
    expect(finished?.durationMs).toBeLessThan(8_000);
    const report = run.report as Report;
    const errors = eksErrors(report.findings);
    expect(errors.map((f) => `${f.accountId}/${f.region}`).sort()).toEqual(eksPairs(world));
    for (const finding of errors) expect(finding.message).toContain('(time budget (eks))');
    // The IAM side of every account was still read
    expect(report.accounts.every((account) => account.providersAudited && account.rolesAudited)).toBe(true);
  });

  it('the CLI with --time-limit ends within it and prints the report', async () => {
    // Act
    const run = await runCli(
      sandbox,
      ['--accounts', 'org', '--external-id', EXTERNAL_ID, '--format', 'json', '--time-limit', '10'],
      { timeoutMs: 30_000 },
    );

    // Assess: no region's EKS was read, so no account × region pair was (coverage 0%): a failed audit, exit 1
    expect(run.timedOut).toBe(false);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('audit failed: coverage 0%, no account × region pair could be read');
    const report = JSON.parse(run.stdout) as Report;
    expect(Date.parse(report.finishedAt) - Date.parse(report.startedAt)).toBeLessThan(10_000);
    expect(
      eksErrors(report.findings)
        .map((f) => `${f.accountId}/${f.region}`)
        .sort(),
    ).toEqual(eksPairs(world));
  });

  it('the CLI without a time limit still ends, on the request time-out', async () => {
    // Act
    const run = await runCli(
      sandbox,
      [
        '--accounts',
        'org',
        '--external-id',
        EXTERNAL_ID,
        '--format',
        'json',
        '--aws-request-timeout-ms',
        '1000',
      ],
      { env: { AWS_MAX_ATTEMPTS: '1' }, timeoutMs: 30_000 },
    );

    // Assess: coverage 0% (no region's EKS read), so exit 1 whatever --fail-on says, with the report printed
    expect(run.timedOut).toBe(false);
    expect(run.code, run.stderr).toBe(1);
    const errors = eksErrors((JSON.parse(run.stdout) as Report).findings);
    expect(errors.map((f) => `${f.accountId}/${f.region}`).sort()).toEqual(eksPairs(world));
    for (const finding of errors) expect(finding.message).toMatch(/\(eks\): ETIMEDOUT: .*requestTimeout/);
  });
});
