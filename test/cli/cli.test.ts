import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { createAwsClients } from '../../src/clients/aws.ts';
import { CHECK_IDS } from '../../src/model/catalog.ts';
import type { Report } from '../../src/report/types.ts';
import type { Sandbox } from '../sandbox/server.ts';
import { callerAccount, cluster, world } from '../sandbox/world-builders.ts';
import { answeringProber } from '../support/probers.ts';
import { startAuditSandbox, stopSandboxes } from '../support/sandbox-aws.ts';
import { type CapturedIo, cliIo } from './support/cli-io.ts';

// One account, one region, one cluster `prod` whose issuer has no IAM OIDC provider.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startAuditSandbox(
    world([callerAccount({ regions: ['us-east-1'], clusters: [cluster('prod')], assumableRoles: [] })]),
  );
});
beforeEach(() => sandbox.log.reset());
afterAll(stopSandboxes);

const silentProber = answeringProber({ hosts: false });

function io(argv: string[], tty = false): CapturedIo {
  return cliIo(argv, tty, {
    makeDeps: () => ({
      clients: createAwsClients({ maxAttempts: 1 }),
      prober: silentProber,
      now: () => new Date('2026-11-22T12:00:00Z'),
      homeRegion: 'us-east-1',
    }),
  });
}

describe('eks-oidc-audit', () => {
  it('prints the JSON report alone on stdout when not on a terminal, and writes --output', async () => {
    // Prepare: one cluster whose issuer has no provider
    const output = join(await mkdtemp(join(tmpdir(), 'cli-')), 'report.json');
    const cli = io(['--output', output]);

    // Act
    const code = await runCli(cli);

    // Assess
    expect(code).toBe(0);
    const report = JSON.parse(cli.stdout.text()) as Report;
    expect(report.trigger).toBe('cli');
    expect(report.findings.map((f) => f.check)).toEqual(['provider-missing']);
    expect(JSON.parse(await readFile(output, 'utf8'))).toEqual(report);
    expect(cli.stderr.text()).toBe('');
  });

  it('exits 2 when a finding is at or above --fail-on, 0 when all are below', async () => {
    // Prepare: provider-missing is medium when no role trusts the issuer, as none does in this file's world

    // Act
    const atMedium = await runCli(io(['--fail-on', 'medium']));
    const atHigh = await runCli(io(['--fail-on', 'high']));

    // Assess
    expect(atMedium).toBe(2);
    expect(atHigh).toBe(0);
  });

  it('renders a table grouped by severity, with the symptom and the fix', async () => {
    // Prepare
    const cli = io(['--format', 'table']);

    // Act
    await runCli(cli);

    // Assess
    // Long lines wrap to the terminal width; compare with the wrapping undone.
    const text = cli.stdout.text().replace(/\s+/g, ' ');
    expect(text).toContain('MEDIUM (1)');
    expect(text).toContain('provider-missing');
    expect(text).toContain('No OpenIDConnect provider found in your account');
    expect(text).toContain(
      'fix: eksctl utils associate-iam-oidc-provider --cluster prod --region us-east-1 --approve',
    );
  });

  it.each([
    { format: 'table', tty: true },
    { format: 'json', tty: false },
  ])(
    'lists the checks of the catalog as $format with --list-checks, without calling AWS',
    async ({ tty }) => {
      // Prepare
      const cli = io(['--list-checks'], tty);

      // Act
      const code = await runCli(cli);

      // Assess
      expect(code).toBe(0);
      expect(sandbox.log.calls()).toBe(0);
      const text = cli.stdout.text();
      if (tty) {
        expect(text).toMatch(
          /^providers\n {2}provider-missing +high \/ medium \/ info +a cluster's issuer has no IAM OIDC provider/,
        );
        for (const id of CHECK_IDS) expect(text).toContain(`  ${id} `);
      } else {
        const listed = JSON.parse(text) as { id: string; family: string; severities: string[] }[];
        expect(listed.map((entry) => entry.id)).toEqual(CHECK_IDS);
        expect(listed[0]).toMatchObject({
          id: 'provider-missing',
          family: 'providers',
          severities: ['high', 'medium', 'info'],
        });
      }
    },
  );

  it.each([
    {
      flags: ['--checks', 'trust-nope'],
      error: 'flag --checks[0]: expected a check id (eks-oidc-audit --list-checks prints them)',
    },
    {
      flags: ['--severity', 'severe'],
      error: 'flag --severity: expected one of critical, high, medium, low, info',
    },
    { flags: ['--format', 'xml'], error: 'flag --format: expected one of table, json, csv, ocsf, html' },
    {
      flags: ['--region', 'us-east-1,eu-west-1'],
      error: 'flag --region: expected one region; the regions to audit are --regions',
    },
    { flags: ['--region', 'us-east-99'], error: 'flag --region: us-east-99 is not an AWS region' },
    { flags: ['--profile', 'my profile'], error: 'flag --profile: expected a profile name of ~/.aws/config' },
    { flags: ['--shard', '2'], error: 'flag --shard: expected I/N, this run being shard I of N' },
    { flags: ['--shard', '5/4', '--part-out', 'p'], error: 'flag --shard: expected I/N with 1 <= I <= N' },
    {
      flags: ['--shard', '1/4'],
      error: 'flag --shard: a shard writes its inventory part; add --part-out FILE',
    },
    { flags: ['--part-out', 'p'], error: 'flag --part-out: only a shard writes a part; add --shard I/N' },
    {
      flags: ['--shard', '1/4', '--part-out', 'p', '--publish'],
      error: 'flag --shard: a shard only reads and writes its part; --publish belongs to the merge step',
    },
  ])('names $flags as a usage error before any AWS call', async ({ flags, error }) => {
    // Prepare
    const cli = io(flags);

    // Act
    const code = await runCli(cli);

    // Assess
    expect(code).toBe(1);
    expect(cli.stderr.text()).toContain(error);
    expect(sandbox.log.calls()).toBe(0);
  });

  it('names a bad flag in one line and exits 1 without calling AWS', async () => {
    // Prepare
    const cli = io(['--regions', 'everywhere']);

    // Act
    const code = await runCli(cli);

    // Assess
    expect(code).toBe(1);
    expect(cli.stderr.text()).toMatch(/^eks-oidc-audit: flag --regions\[0\]: expected an AWS region name/);
    expect(sandbox.log.calls()).toBe(0);
  });
});
