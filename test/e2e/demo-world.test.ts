// The shipped demo world, end to end: the real Lambda handler in a child process, the real SDK clients and TLS
// probe, nothing but the environment pointing them at the sandbox. It must find exactly what the world plants,
// with every check firing, and `npm run demo` must show it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type HandlerRun,
  lambdaEnvironment,
  REPO,
  runCli,
  runHandler,
  runNode,
} from '../../scripts/sandbox-processes.ts';
import { CHECK_IDS } from '../../src/model/finding.ts';
import type { Report } from '../../src/report/types.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { loadWorld, type World } from '../sandbox/world.ts';
import { assertFindings } from './support/expected-findings.ts';

const DEMO_WORLD = `${REPO}/test/sandbox/worlds/demo.json`;

describe('the demo world, audited by the Lambda handler', () => {
  let world: World;
  let sandbox: Sandbox;
  let run: HandlerRun;

  beforeAll(async () => {
    // Prepare: the demo world, configured as a deployment over it would be
    world = await loadWorld(DEMO_WORLD);
    sandbox = await startSandbox(world);

    // Act: one invocation, shared by the assertions below
    run = await runHandler(sandbox, {
      event: { trigger: 'manual', dryRun: false },
      env: lambdaEnvironment(world),
    });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('reports exactly the findings the world plants', () => {
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(world.expectedFindings.length).toBeGreaterThan(0);
    assertFindings(run.report?.findings ?? [], world.expectedFindings);
  });

  it('fires every check the auditor implements', () => {
    // Assess
    const fired = new Set(run.report?.findings.map((finding) => finding.check));
    expect(CHECK_IDS.filter((id) => !fired.has(id))).toEqual([]);
  });

  it("treats cross-account IRSA as such: dev's provider for prod's checkout issuer is no leftover, and its role is reachable", () => {
    // Assess
    const crossAccount =
      'arn:aws:iam::333333333333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/C4E8A2F60B1D3957E2A4C6F8B0D1E3A7';
    const reader = 'arn:aws:iam::333333333333:role/irsa/checkout-reader';
    const findings = run.report?.findings ?? [];
    expect(findings.filter((f) => f.resource === crossAccount)).toEqual([]);
    expect(findings.filter((f) => f.resource === reader)).toEqual([
      expect.objectContaining({
        check: 'trust-cross-account',
        severity: 'medium',
        cluster: 'checkout',
        evidence: expect.objectContaining({
          ouPaths: { cluster: '/Workloads/Prod', role: '/Workloads/Dev' },
        }),
      }),
    ]);
    const checkout = run.report?.clusters.find((cluster) => cluster.name === 'checkout');
    expect(checkout?.assumableRoles).toContainEqual(
      expect.objectContaining({
        roleArn: reader,
        providerArn: crossAccount,
        subjects: ['checkout:reports'],
        breadth: 'exact',
      }),
    );
  });

  it('names each account and its OU path, as the organization does', () => {
    // Assess
    const declared = Object.fromEntries(world.accounts.map((account) => [account.id, account.ou]));
    expect(run.report?.scope.ouPaths).toEqual(declared);
    expect(run.report?.accounts.map(({ accountId, name, ouPath }) => [accountId, name, ouPath])).toEqual(
      world.accounts
        .filter((account) => !account.denyAssumeRole)
        .map((account) => [account.id, account.name, account.ou]),
    );
  });

  it('keeps healthy clusters quiet and names every account in scope', () => {
    // Assess
    const healthy = world.accounts
      .filter((account) => !account.denyAssumeRole)
      .flatMap((account) => account.clusters.filter((cluster) => !cluster.tags?.planted))
      .map((cluster) => cluster.name);
    expect(healthy.length).toBeGreaterThanOrEqual(2);
    const named = new Set(run.report?.findings.map((finding) => finding.cluster));
    expect(healthy.filter((name) => named.has(name))).toEqual([]);
    expect(run.report?.scope.accounts).toEqual(world.accounts.map((account) => account.id).sort());
  });
});

describe('npm run demo', () => {
  it('shows the world, the report and the verdict, and exits 0 well within 30 s', async () => {
    // Prepare
    const planted = (await loadWorld(DEMO_WORLD)).expectedFindings.length;
    const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };

    // Act
    const result = await runNode(['scripts/demo.ts'], { env, timeoutMs: 30_000 });

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Planted problems (${planted})`);
    expect(result.stdout).toMatch(/^EKS OIDC audit {2}\d+ accounts/m);
    expect(result.stdout).toContain(
      `✓ All ${planted} planted problems were reported, and nothing else: every one of the ${CHECK_IDS.length} checks fired.`,
    );
    expect(result.stdout).toMatch(/^Published$/m);
    expect(result.stdout).toContain('npm run audit');
    expect(result.ms).toBeLessThan(30_000);
  }, 35_000);
});

describe('the demo world in each output format (the CLI)', () => {
  let world: World;
  let sandbox: Sandbox;
  const audit = (format: string, ...extra: string[]) =>
    runCli(sandbox, [
      '--accounts',
      'org',
      '--external-id',
      world.accounts.find((a) => a.externalId)?.externalId ?? '',
      '--format',
      format,
      ...extra,
    ]);

  beforeAll(async () => {
    world = await loadWorld(DEMO_WORLD);
    sandbox = await startSandbox(world);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('writes one CSV row and one OCSF Detection Finding per planted problem, and filters on request', async () => {
    // Act
    const csv = await audit('csv');
    const ocsf = await audit('ocsf');
    const filtered = await audit('json', '--severity', 'high', '--exclude-checks', 'audit-error');

    // Assess
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'id,check,severity,account_id,account_name,region,resource,cluster,message,remediation',
    );
    const events = ocsf.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { class_uid: number; metadata: { event_code: string } });
    expect(events).toHaveLength(world.expectedFindings.length);
    expect(events.every((event) => event.class_uid === 2004)).toBe(true);
    expect(events.map((event) => event.metadata.event_code).sort()).toEqual(
      world.expectedFindings.map((expected) => expected.check).sort(),
    );
    // Remediations span lines, so rows are counted by their ids, not by line breaks.
    expect(
      events.every((event) =>
        csv.stdout.includes(
          `\r\n${(event as unknown as { finding_info: { uid: string } }).finding_info.uid},`,
        ),
      ),
    ).toBe(true);
    const report = JSON.parse(filtered.stdout) as Report;
    const kept = world.expectedFindings.filter(
      (expected) =>
        (expected.severity === 'critical' || expected.severity === 'high') &&
        expected.check !== 'audit-error',
    );
    expect(report.findings).toHaveLength(kept.length);
    expect(report.filtered).toEqual({
      minSeverity: 'high',
      excludeChecks: ['audit-error'],
      hiddenFindings: world.expectedFindings.length - kept.length,
    });
  });
});
