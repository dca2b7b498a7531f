// The CLI as a user gets it: `npm pack` in a copy of the checkout (prepack builds dist/), `npm install` of the
// tarball into an empty folder, offline, and the installed bin run with Node 24 against the sandbox. Every
// feature that loads a chunk of its own is driven through it (the EC2 region fallback, Security Hub, accepted
// risks from SSM and from S3, reports to S3, shards and their merge, the HTML report), and it must report exactly
// what the source CLI (src/cli.ts) reports on the same world.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildResult, REPO, runCli, runNode, sandboxProcessEnv } from '../scripts/sandbox-processes.ts';
import type { Report } from '../src/report/types.ts';
import {
  artefactWorld,
  MUTED_ROLE,
  markEffects,
  REPORT_BUCKET,
  type RunEffects,
  SUPPRESSIONS_OBJECT,
  SUPPRESSIONS_PARAMETER,
  storedReport,
  withoutTimes,
} from './e2e/support/artefact-world.ts';
import { type Sandbox, startSandbox } from './sandbox/server.ts';

const exec = promisify(execFile);
// What a checkout holds that `npm pack` neither needs nor may pick up.
const NOT_COPIED = new Set([
  'node_modules',
  '.git',
  'dist',
  'test',
  'coverage',
  '.serverless',
  '.esbuild',
  'reports',
]);

interface Installed {
  work: string;
  /** The folder the tarball was installed into. */
  app: string;
  /** `npm pack --json`'s file list. */
  packed: string[];
  /** node_modules/.bin/eks-oidc-audit of that folder. */
  bin: string;
}

/** npm with this shell's environment but no AWS settings, and none of a parent npm's own (npm_config_*). */
function npm(args: string[], cwd: string) {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !key.startsWith('AWS_') && !key.startsWith('npm_')) env[key] = value;
  return exec('npm', [...args, '--offline', '--no-audit', '--no-fund', '--no-update-notifier'], {
    cwd,
    env,
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** `npm pack` in a copy of the checkout (so this never races another build of dist/), then `npm install` of it. */
async function packAndInstall(): Promise<Installed> {
  const work = mkdtempSync(join(tmpdir(), 'eks-oidc-auditor-pack-'));
  const checkout = join(work, 'checkout');
  const app = join(work, 'app');
  mkdirSync(app);
  for (const entry of readdirSync(REPO))
    if (!NOT_COPIED.has(entry)) cpSync(join(REPO, entry), join(checkout, entry), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(checkout, 'node_modules'), 'dir');
  const pack = await npm(['pack', '--json', '--pack-destination', work], checkout);
  const [result] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  if (!result) throw new Error(`npm pack wrote no tarball: ${pack.stderr}`);
  await npm(['install', join(work, result.filename)], app);
  return {
    work,
    app,
    packed: result.files.map((file) => file.path),
    bin: join(app, 'node_modules', '.bin', 'eks-oidc-audit'),
  };
}

let installed: Installed;

beforeAll(async () => {
  installed = await packAndInstall();
}, 150_000);

afterAll(() => {
  if (installed) rmSync(installed.work, { recursive: true, force: true });
});

/** The installed bin, with this test's Node 24, from the folder it was installed into. */
function runInstalled(args: string[], env: Record<string, string>): Promise<ChildResult> {
  return runNode([installed.bin, ...args], { env, cwd: installed.app, timeoutMs: 60_000 });
}

// Each test's time-out covers its children's (60 s each), so a hung child fails as itself.
describe('npm pack', { timeout: 130_000 }, () => {
  it('packs the bin, the bundle, the docs the README links and the member-role template, and nothing else', () => {
    // Assess
    const top = [...new Set(installed.packed.map((path) => path.split('/')[0]))].sort();
    expect(top).toEqual(['LICENSE', 'README.md', 'bin', 'deploy', 'dist', 'docs', 'package.json']);
    expect(installed.packed).toContain('dist/cli.js');
    expect(installed.packed).toContain('deploy/member-role.yaml');
    expect(installed.packed.filter((path) => /\.(ts|map)$/.test(path))).toEqual([]);
  });

  it('installs as one package: the bundle needs no dependency', () => {
    // Act
    const modules = readdirSync(join(installed.app, 'node_modules')).filter((name) => !name.startsWith('.'));

    // Assess
    expect(modules).toEqual(['eks-oidc-auditor']);
  });

  it('answers --help and a usage error without an audit', async () => {
    // Prepare
    const env = { PATH: process.env.PATH ?? '' };

    // Act
    const help = await runInstalled(['--help'], env);
    const usage = await runInstalled(['--regions', 'nowhere'], env);

    // Assess
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: eks-oidc-audit \[options\]/);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('flag --regions[0]: expected an AWS region name');
  });
});

interface Pair {
  source: ChildResult;
  installed: ChildResult;
  /** What the installed run did to the sandbox. */
  effects: RunEffects;
}

describe('the installed CLI on the demo world, account:ListRegions denied everywhere', {
  timeout: 130_000,
}, () => {
  let sandbox: Sandbox;
  let externalId: string;

  beforeAll(async () => {
    const world = await artefactWorld();
    externalId = world.accounts.find((account) => account.externalId)?.externalId ?? '';
    sandbox = await startSandbox(world);
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
  });

  /** The same run through src/cli.ts, then through the installed bin, against the same sandbox. */
  async function both(args: string[], env: Record<string, string> = {}): Promise<Pair> {
    const all = ['--accounts', 'org', '--external-id', externalId, ...args];
    const source = await runCli(sandbox, all, { env, timeoutMs: 60_000 });
    const effects = markEffects(sandbox);
    const installedRun = await runInstalled(all, sandboxProcessEnv(sandbox, env));
    return { source, installed: installedRun, effects };
  }

  const reportOf = (run: ChildResult) => JSON.parse(run.stdout) as Report;

  it('falls back to ec2:DescribeRegions, reads Kubernetes, imports into Security Hub, mutes from SSM and stores the reports in S3, as the source does', async () => {
    // Act
    // --kubernetes: the demo world's clusters serve their Kubernetes API, read from a chunk of its own.
    const run = await both(['--format', 'json', '--publish', '--security-hub', '--kubernetes'], {
      AUDIT_SUPPRESSIONS_PARAMETER: SUPPRESSIONS_PARAMETER,
      REPORT_BUCKET,
    });

    // Assess: the same report from both, and each chunk's feature at work in the installed one
    expect(run.source.code, run.source.stderr).toBe(0);
    expect(run.installed.code, run.installed.stderr).toBe(0);
    const report = reportOf(run.installed);
    expect(withoutTimes(report)).toEqual(withoutTimes(reportOf(run.source)));
    expect(report.errors.filter((error) => error.stage === 'list-regions')).toEqual([]);
    expect(run.effects.calls('account', 'ListRegions')).toBeGreaterThan(0);
    expect(run.effects.calls('ec2', 'DescribeRegions')).toBeGreaterThanOrEqual(report.accounts.length);
    expect(run.effects.calls('ssm', 'GetParameter')).toBe(1);
    expect(report.findings.filter((finding) => finding.muted).map((finding) => finding.resource)).toEqual([
      MUTED_ROLE,
    ]);
    expect(report.suppressions?.source).toBe(`parameter ${SUPPRESSIONS_PARAMETER}`);
    const imported = `Security Hub: ${report.findings.length} finding(s) imported`;
    expect(run.source.stderr).toContain(imported);
    expect(run.installed.stderr).toContain(imported);
    expect(
      sandbox.securityhub
        .findings()
        .map((finding) => finding.Id)
        .sort(),
    ).toEqual(report.findings.map((finding) => `eks-oidc-auditor/${finding.id}`).sort());
    const stored = run.effects.reports();
    expect(stored.filter((key) => key.endsWith('.html'))).toHaveLength(1);
    const json = stored.find((key) => key.endsWith('report.json.gz')) ?? '';
    expect(storedReport(sandbox, json).findings).toEqual(report.findings);
  });

  it('mutes from an S3 object, as the source does', async () => {
    // Act
    const run = await both(['--format', 'json'], { AUDIT_SUPPRESSIONS_OBJECT: SUPPRESSIONS_OBJECT });

    // Assess
    expect(run.installed.code, run.installed.stderr).toBe(0);
    const report = reportOf(run.installed);
    expect(withoutTimes(report)).toEqual(withoutTimes(reportOf(run.source)));
    expect(report.suppressions?.source).toBe(SUPPRESSIONS_OBJECT);
    expect(report.summary.muted).toBe(1);
  });

  it('reads shards into parts and merges them into the report the source writes in one run', async () => {
    // Prepare
    const parts = [1, 2].map((shard) => join(installed.work, `part-${shard}.json.gz`));
    const org = ['--accounts', 'org', '--external-id', externalId];
    const env = sandboxProcessEnv(sandbox);
    const whole = await runCli(sandbox, [...org, '--format', 'json'], { timeoutMs: 60_000 });

    // Act
    const shards = await Promise.all(
      parts.map((part, i) => runInstalled([...org, '--shard', `${i + 1}/2`, '--part-out', part], env)),
    );
    const merged = await runInstalled(
      ['--merge', parts[0] ?? '', '--merge', parts[1] ?? '', '--format', 'json'],
      env,
    );

    // Assess
    expect(shards.map((shard) => shard.code)).toEqual([0, 0]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(reportOf(merged).findings).toEqual(reportOf(whole).findings);
    expect(reportOf(merged).summary).toEqual(reportOf(whole).summary);
  });

  it('writes the HTML report the source writes', async () => {
    // Act
    const run = await both(['--format', 'html']);

    // Assess: the same page but for when it was made
    expect(run.installed.code, run.installed.stderr).toBe(0);
    expect(run.installed.stdout).toMatch(/^<!doctype html>/i);
    expect(withoutTimestamps(run.installed.stdout)).toEqual(withoutTimestamps(run.source.stdout));
  });
});

function withoutTimestamps(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');
}
