// Scope typos a person makes: each is either a usage error naming what was wrong, or a finding that counts.
// None passes silently.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../scripts/sandbox-processes.ts';
import type { Report } from '../../src/report/types.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { parseWorld } from '../sandbox/world.ts';
import { CALLER_ID, MEMBER_ID } from '../sandbox/world-builders.ts';
import { EXTERNAL_ID, focusedWorld } from './support/worlds.ts';

const STRANGER = '999988887777';
const JSON_OUT = ['--external-id', EXTERNAL_ID, '--format', 'json'];

describe('scope typos, against the sandbox', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox(parseWorld(focusedWorld()));
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('an account id outside the organization is a high audit-error, and is never assumed into', async () => {
    // Act
    const run = await runCli(sandbox, [
      '--accounts',
      `${MEMBER_ID},${STRANGER}`,
      ...JSON_OUT,
      '--fail-on',
      'high',
    ]);

    // Assess
    expect(run.code, run.stderr).toBe(2);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.filter((f) => f.accountId === STRANGER).map((f) => [f.check, f.severity])).toEqual(
      [['audit-error', 'high']],
    );
    expect(report.errors.find((e) => e.accountId === STRANGER)).toMatchObject({
      stage: 'organization-membership',
      code: 'AccountNotInOrganization',
    });
    expect(sandbox.log.assumeRoles.some(({ roleArn }) => roleArn.includes(STRANGER))).toBe(false);
    expect(report.scope.accountNames?.[MEMBER_ID]).toBe('apps');
  });

  it('a region listed twice is audited once', async () => {
    // Act
    const run = await runCli(sandbox, [
      '--accounts',
      MEMBER_ID,
      '--regions',
      'us-east-1,us-east-1',
      ...JSON_OUT,
    ]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    const ids = report.findings.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(report.accounts.find((a) => a.accountId === MEMBER_ID)?.regionsAudited).toEqual(['us-east-1']);
  });

  it.each([
    [
      ['--regions', 'us-east-99'],
      /flag --regions\[0\]: us-east-99 is not an AWS region.*did you mean us-east-1/,
    ],
    [['--accounts', CALLER_ID, '--alert-topic-arn', 'arn:aws:sns:us-east-1:111111111111:t'], /--publish/],
  ])('%j is a usage error that names it, before any AWS call', async (args, expected) => {
    // Act
    const run = await runCli(sandbox, [...args, ...JSON_OUT]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(expected);
  });

  it('an OU that does not exist stops the run, naming the OU', async () => {
    // Act
    const run = await runCli(sandbox, [
      '--accounts',
      'org',
      '--include-ous',
      'ou-abcd-12345678',
      ...JSON_OUT,
    ]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--include-ous \/ AUDIT_INCLUDE_OUS: ou-abcd-12345678 is not an OU or root/);
  });

  it('--output into a missing directory fails at once, before the audit', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'output-'));
    const calls = sandbox.log.callsByAccount(CALLER_ID);
    try {
      // Act
      const run = await runCli(sandbox, ['--output', join(dir, 'no/such/dir/r.json'), ...JSON_OUT]);

      // Assess
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/--output .*no\/such\/dir\/r\.json: directory .* does not exist/);
      expect(sandbox.log.callsByAccount(CALLER_ID)).toBe(calls);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
