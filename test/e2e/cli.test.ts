// The CLI as users run it: a child process (`node src/cli.ts`) with nothing but the environment pointing it at the
// sandbox. The report alone on stdout, errors on stderr, exit codes by --fail-on.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../scripts/sandbox-processes.ts';
import { REPORT_FILES } from '../../src/config/output-format.ts';
import type { Report } from '../../src/report/types.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { parseWorld, type World } from '../sandbox/world.ts';
import { MEMBER_ID, OTHER_ID } from '../sandbox/world-builders.ts';
import { assertFindings } from './support/expected-findings.ts';
import { EXTERNAL_ID, focusedWorld } from './support/worlds.ts';

const run = promisify(execFile);

const AUDIT = ['--accounts', 'org', '--external-id', EXTERNAL_ID, '--format', 'json'];

describe('eks-oidc-audit against the sandbox', () => {
  let world: World;
  let sandbox: Sandbox;

  beforeAll(async () => {
    world = parseWorld(focusedWorld());
    sandbox = await startSandbox(world);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('prints the JSON report alone on stdout and exits 0 when no finding reaches --fail-on', async () => {
    // Prepare: the focused world's worst finding is high (the account it cannot enter)
    const args = [...AUDIT, '--fail-on', 'critical'];

    // Act
    const result = await runCli(sandbox, args);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as Report;
    expect(report).toMatchObject({ schemaVersion: 1, trigger: 'cli' });
    assertFindings(report.findings, world.expectedFindings);
  });

  it('exits 2 when a finding reaches --fail-on, with the report still on stdout', async () => {
    // Prepare
    const args = [...AUDIT, '--fail-on', 'medium'];

    // Act
    const result = await runCli(sandbox, args);

    // Assess
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe('');
    assertFindings((JSON.parse(result.stdout) as Report).findings, world.expectedFindings);
  });

  it('exits 2 under --fail-on high when an account cannot be entered: a blind spot is no pass', async () => {
    // Act: the locked account refuses AssumeRole
    const result = await runCli(sandbox, [...AUDIT, '--fail-on', 'high']);

    // Assess
    expect(result.code, result.stderr).toBe(2);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.summary.coverage.blindAccounts).toEqual([OTHER_ID]);
    expect(report.findings.filter((f) => f.severity === 'high').map((f) => f.resource)).toEqual([
      `account:${OTHER_ID}`,
    ]);
  });

  it('exits 2 under --fail-on high when no member can be entered (--role-name Nope)', async () => {
    // Act
    const result = await runCli(sandbox, [...AUDIT, '--fail-on', 'high', '--role-name', 'Nope']);

    // Assess
    expect(result.code, result.stderr).toBe(2);
    const coverage = (JSON.parse(result.stdout) as Report).summary.coverage;
    expect(coverage.blindAccounts).toEqual([MEMBER_ID, OTHER_ID]);
    expect(coverage.percent).toBeLessThan(100);
  });

  it('exits 1 when no account could be read, whatever --fail-on says, with the report still on stdout', async () => {
    // Prepare: an account outside the organization; nothing else in scope
    const args = ['--accounts', '999999999999', '--external-id', EXTERNAL_ID, '--format', 'json'];

    // Act
    const quiet = await runCli(sandbox, args);
    const critical = await runCli(sandbox, [...args, '--fail-on', 'critical']);

    // Assess
    for (const result of [quiet, critical]) {
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(
        /^eks-oidc-audit: audit failed: coverage 0%, no account × region pair could be read/m,
      );
      const report = JSON.parse(result.stdout) as Report;
      expect(report.summary.coverage).toMatchObject({ percent: 0, pairsAudited: 0 });
    }
  });

  it('exits 1 on a usage error, saying why on stderr and printing no report', async () => {
    // Prepare
    const args = [...AUDIT, '--fail-on', 'severe'];

    // Act
    const result = await runCli(sandbox, args);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^eks-oidc-audit: .*fail-on/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 with one line on stderr when the credentials are rejected', async () => {
    // Prepare: keys the sandbox does not know, as AWS answers keys of a deleted user
    const env = { AWS_ACCESS_KEY_ID: 'AKIA000000000000SBOX', AWS_SECRET_ACCESS_KEY: 'not-a-sandbox-secret' };

    // Act
    const result = await runCli(sandbox, AUDIT, { env });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^eks-oidc-audit: No usable AWS credentials \(InvalidClientTokenId: .*AWS_PROFILE/,
      ),
    ]);
  });

  it('writes every format with --output-dir, and `report FILE` renders the saved JSON again, filtered', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'e2e-output-dir-'));
    const html = join(dir, 'page.html');

    // Act: one audit into a directory and a page, then the saved report re-rendered with a filter
    const audit = await runCli(sandbox, [...AUDIT, '--output-dir', join(dir, 'out')]);
    const saved = join(dir, 'out', REPORT_FILES.json);
    const again = await runCli(sandbox, ['report', saved, '--format', 'table', '--severity', 'high']);
    const page = await runCli(sandbox, ['report', saved, '--output', html]);

    // Assess
    expect(audit.code, audit.stderr).toBe(0);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(Object.values(REPORT_FILES).sort());
    const report = JSON.parse(await readFile(saved, 'utf8')) as Report;
    expect(JSON.parse(audit.stdout)).toEqual(report);
    assertFindings(report.findings, world.expectedFindings);
    expect(page.code, page.stderr).toBe(0);
    expect(await readFile(html, 'utf8')).toMatch(/^<!doctype html>/);
    expect(again.code, again.stderr).toBe(0);
    const high = report.findings.filter((f) => f.severity === 'critical' || f.severity === 'high').length;
    const hidden = report.findings.length - high;
    expect(hidden).toBeGreaterThan(0);
    expect(again.stdout).toContain(
      `${high} finding${high === 1 ? '' : 's'} shown, ${hidden} hidden by --severity high`,
    );
  });
});

describe('eks-oidc-audit on a machine without AWS credentials', () => {
  it('says so in one line and how to provide them, with no stack trace', async () => {
    // Prepare: a real process with no credentials anywhere it could look
    const home = await mkdtemp(join(tmpdir(), 'nocreds-'));
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    };

    // Act
    const result = await run(process.execPath, ['src/cli.ts'], { env, timeout: 30_000 }).catch((e) => e);

    // Assess
    expect(result.code).toBe(1);
    const lines = String(result.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('No usable AWS credentials');
    expect(lines[0]).toContain('AWS_PROFILE');
    expect(result.stdout).toBe('');
  });
});
