// The CLI takes its identity and home region as the AWS CLI does: --profile picks the credentials of a profile of
// the shared files, --region the region of STS and the run's other home calls (not the audited ones), and a
// refusal names the profile in use.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../scripts/sandbox-processes.ts';
import type { Report } from '../../src/report/types.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { parseWorld } from '../sandbox/world.ts';
import { CALLER_ID, callerAccount, cluster, world } from '../sandbox/world-builders.ts';

/** No keys in the environment: whatever credentials the run has come from the shared credentials file. */
const NO_ENV_KEYS = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' };

describe('--profile and --region against the sandbox', () => {
  let sandbox: Sandbox;
  let credentialsFile: string;
  let configFile: string;

  beforeAll(async () => {
    sandbox = await startSandbox(
      parseWorld({
        ...world([callerAccount({ regions: ['us-east-1', 'eu-west-1'], clusters: [cluster('prod')] })]),
        // Only in the profile's region: a read sent elsewhere finds no such parameter.
        ssmParameters: [{ name: '/mutes', value: 'suppressions: []\n', region: 'eu-west-1' }],
      }),
    );
    // A profile with the caller's keys, and one with keys the sandbox refuses
    const keys = sandbox.credentials(CALLER_ID);
    credentialsFile = join(await mkdtemp(join(tmpdir(), 'aws-profiles-')), 'credentials');
    await writeFile(
      credentialsFile,
      [
        '[security]',
        `aws_access_key_id = ${keys.accessKeyId}`,
        `aws_secret_access_key = ${keys.secretAccessKey}`,
        '[revoked]',
        'aws_access_key_id = AKIA000000000000SBOX',
        'aws_secret_access_key = not-a-sandbox-secret',
        '',
      ].join('\n'),
    );
    configFile = join(credentialsFile, '..', 'config');
    await writeFile(configFile, '[profile security]\nregion = eu-west-1\n');
  });
  afterAll(async () => {
    await sandbox?.stop();
    if (credentialsFile) await rm(dirname(credentialsFile), { recursive: true, force: true });
  });

  const profiles = () => ({ ...NO_ENV_KEYS, AWS_SHARED_CREDENTIALS_FILE: credentialsFile });

  it('audits with the credentials of --profile, and sends STS to --region, not to the audited regions', async () => {
    // Prepare: AWS_REGION says us-east-1; --region says eu-west-1; --regions audits us-east-1 only
    sandbox.log.reset();
    const args = [
      '--profile',
      'security',
      '--region',
      'eu-west-1',
      '--regions',
      'us-east-1',
      '--format',
      'json',
    ];

    // Act
    const result = await runCli(sandbox, args, { env: profiles() });

    // Assess
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.scope.regions).toEqual(['us-east-1']);
    expect(report.summary.clusters).toBe(1);
    const regionsOf = (service: string) =>
      new Set(sandbox.log.entries.filter((e) => e.service === service).map((e) => e.region));
    expect(regionsOf('sts')).toEqual(new Set(['eu-west-1']));
    expect(regionsOf('eks')).toEqual(new Set(['us-east-1']));
  });

  it("takes the profile's own region when neither --region nor AWS_REGION is given, as the AWS CLI does", async () => {
    // Prepare
    sandbox.log.reset();
    const { AWS_REGION: _unset, ...noRegion } = sandbox.env;
    const env = { ...profiles(), AWS_CONFIG_FILE: configFile };

    // Act
    const result = await runCli({ env: noRegion }, ['--profile', 'security', '--format', 'json'], { env });

    // Assess
    expect(result.code, result.stderr).toBe(0);
    const sts = sandbox.log.entries.filter((e) => e.service === 'sts').map((e) => e.region);
    expect(new Set(sts)).toEqual(new Set(['eu-west-1']));
  });

  it("reads the mutes of 'report FILE' in the profile's own region, as an audit does", async () => {
    // Prepare: a saved report, then no region but the profile's
    const saved = join(credentialsFile, '..', 'saved.json');
    const env = { ...profiles(), AWS_CONFIG_FILE: configFile };
    const audit = await runCli(sandbox, ['--profile', 'security', '--output', saved], { env });
    expect(audit.code, audit.stderr).toBe(0);
    sandbox.log.reset();
    const { AWS_REGION: _unset, ...noRegion } = sandbox.env;

    // Act
    const result = await runCli(
      { env: noRegion },
      ['report', saved, '--profile', 'security', '--format', 'json'],
      {
        env: { ...env, AUDIT_SUPPRESSIONS_PARAMETER: '/mutes' },
      },
    );

    // Assess
    expect(result.code, result.stderr).toBe(0);
    const ssm = sandbox.log.entries.filter((e) => e.service === 'ssm').map((e) => e.region);
    expect(ssm).toEqual(['eu-west-1']);
  });

  it('without --profile or keys, says so and how to give them, naming --profile and AWS_PROFILE', async () => {
    // Act
    const result = await runCli(sandbox, ['--format', 'json'], { env: profiles() });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^eks-oidc-audit: No usable AWS credentials \(.*--profile NAME or set AWS_PROFILE/,
    );
  });

  it.each([
    { how: 'AWS_PROFILE', args: [], env: { AWS_PROFILE: 'revoked' }, profile: 'revoked' },
    { how: '--profile', args: ['--profile', 'revoked'], env: { AWS_PROFILE: '' }, profile: 'revoked' },
    {
      how: 'a --profile that does not exist',
      args: ['--profile', 'nope'],
      env: { AWS_PROFILE: '' },
      profile: 'nope',
    },
  ])('names the profile in use when its credentials are refused ($how)', async ({ args, env, profile }) => {
    // Act
    const result = await runCli(sandbox, [...args, '--format', 'json'], { env: { ...profiles(), ...env } });

    // Assess: one line, naming the profile, never advising to set what is already set
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`No usable AWS credentials from profile ${profile} (`);
    expect(lines[0]).toContain(`aws sso login --profile ${profile}`);
    expect(lines[0]).not.toContain('set AWS_PROFILE');
  });
});
