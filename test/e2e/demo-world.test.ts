// The shipped demo world, end to end: the real Lambda handler in a child process, the real SDK clients and TLS
// probe, nothing but the environment pointing them at the sandbox. It must find exactly what the world plants,
// with every check firing, and `npm run demo` must show it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { useDemoSandbox } from './support/demo.ts';
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
    expect(result.stdout).toMatch(
      /^EKS OIDC audit {2}in scope: \d+ accounts, \d+ regions; audited: \d+ accounts, \d+ regions/m,
    );
    expect(result.stdout).toContain(
      `✓ All ${planted} planted problems were reported, and nothing else: every one of the ${CHECK_IDS.length} checks fired.`,
    );
    expect(result.stdout).toMatch(/^Published$/m);
    // The digest the world's topic received, as its email subscribers read it, with a link to the stored report.
    expect(result.stdout).toMatch(/^The alert digest, as email subscribers get it$/m);
    expect(result.stdout).toMatch(/^ {2}NEW \(\d+\)$/m);
    expect(result.stdout).toMatch(
      /^ {2}Full report: https:\/\/console\.aws\.amazon\.com\/s3\/object\/eks-oidc-auditor-demo-reports\?/m,
    );
    expect(result.stdout).toContain('npm run audit');
    expect(result.ms).toBeLessThan(30_000);
  }, 35_000);
});

describe('the demo world in each output format (the CLI)', () => {
  const demo = useDemoSandbox();
  const audit = (format: string, ...extra: string[]) => demo.audit('--format', format, ...extra);

  it('writes one CSV row and one OCSF Detection Finding per planted problem, and filters on request', async () => {
    // Act
    const csv = await audit('csv');
    const ocsf = await audit('ocsf');
    const filtered = await audit('json', '--severity', 'high', '--exclude-checks', 'audit-error');

    // Assess
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'id,check,severity,account_id,account_name,region,resource,cluster,message,remediation,muted_reason',
    );
    const events = ocsf.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { class_uid: number; metadata: { event_code: string } });
    expect(events).toHaveLength(demo.world.expectedFindings.length);
    expect(events.every((event) => event.class_uid === 2004)).toBe(true);
    expect(events.map((event) => event.metadata.event_code).sort()).toEqual(
      demo.world.expectedFindings.map((expected) => expected.check).sort(),
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
    const kept = demo.world.expectedFindings.filter(
      (expected) =>
        (expected.severity === 'critical' || expected.severity === 'high') &&
        expected.check !== 'audit-error',
    );
    expect(report.findings).toHaveLength(kept.length);
    expect(report.filtered).toEqual({
      minSeverity: 'high',
      excludeChecks: ['audit-error'],
      hiddenFindings: demo.world.expectedFindings.length - kept.length,
    });
  });
});

describe('accepted risks on the demo world (the CLI with --suppressions)', () => {
  const demo = useDemoSandbox();
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mutes-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('mutes a planted finding, brings back one whose entry expired, names the stale entry, and fails only on the rest', async () => {
    // Prepare
    const file = join(dir, 'mutes.yaml');
    await writeFile(
      file,
      [
        'suppressions:',
        '  - reason: "orders workers share one role by design (SEC-42)"',
        '    check: trust-wildcard-sub',
        '    resource: "role/irsa/orders-*"',
        '  - reason: "accepted until the migration; it is over"',
        '    check: trust-no-sub',
        '    expires: 2020-01-01',
        '  - reason: "a cluster deleted long ago"',
        '    cluster: gone-cluster',
        '',
      ].join('\n'),
    );

    // Act
    const result = await demo.audit('--format', 'json', '--suppressions', file, '--fail-on', 'medium');

    // Assess
    const report = JSON.parse(result.stdout) as Report;
    const muted = report.findings.filter((finding) => finding.muted);
    expect(
      muted.map((finding) => [finding.check, finding.resource.split(':').at(-1), finding.muted?.entry]),
    ).toEqual([['trust-wildcard-sub', 'role/irsa/orders-worker', 1]]);
    expect(report.findings.find((finding) => finding.check === 'trust-no-sub')?.muted).toBeUndefined();
    expect(report.summary.muted).toBe(1);
    expect(report.suppressions).toEqual({
      source: file,
      entries: 3,
      stale: [{ entry: 3, reason: 'a cluster deleted long ago' }],
      expired: [{ entry: 2, reason: 'accepted until the migration; it is over', expires: '2020-01-01' }],
    });
    expect(result.code).toBe(2);
  });

  it('says in words that the file does not exist, not ENOENT', async () => {
    // Act
    const missing = join(dir, 'missing.yaml');
    const result = await runCli(demo.sandbox, ['--format', 'json', '--suppressions', missing]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `eks-oidc-audit: --suppressions ${missing}: no such file; expected the path of a YAML file of accepted risks (docs/suppressions.md)`,
    );
  });

  it('refuses a malformed file before any AWS call, naming its line', async () => {
    // Prepare
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'suppressions:\n  - check: audit-error\n');
    const before = demo.sandbox.log.calls();

    // Act
    const result = await runCli(demo.sandbox, ['--format', 'json', '--suppressions', file]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`suppressions ${file} line 2: suppressions[0].reason:`);
    expect(demo.sandbox.log.calls()).toBe(before);
  });
});

const MUTES =
  'suppressions:\n  - reason: "orders workers share one role by design"\n    resource: "role/irsa/orders-worker"\n';
// What the CLI's file refuses, the Lambda's sources refuse too: they share the parser.
const MUTE_ALL = 'suppressions:\n  - reason: "make it green"\n    check: "*"\n';

describe.each([
  {
    source: 'an SSM parameter',
    world: {
      ssmParameters: [
        {
          name: '/eks-oidc-auditor/suppressions',
          value: MUTES,
          type: 'SecureString' as const,
          region: 'us-east-1',
        },
        { name: '/eks-oidc-auditor/mute-all', value: MUTE_ALL, type: 'String' as const, region: 'us-east-1' },
      ],
    },
    env: (name: string) => ({ AUDIT_SUPPRESSIONS_PARAMETER: `/eks-oidc-auditor/${name}` }),
    read: ['ssm', 'GetParameter'] as const,
    requests: 1,
    label: (name: string) => `parameter /eks-oidc-auditor/${name}`,
  },
  {
    source: 'an S3 object',
    world: {
      s3Buckets: [
        {
          name: 'security-config',
          region: 'eu-west-1',
          objects: {
            'eks-oidc-auditor/suppressions.yaml': MUTES,
            'eks-oidc-auditor/mute-all.yaml': MUTE_ALL,
          },
        },
      ],
    },
    env: (name: string) => ({
      AUDIT_SUPPRESSIONS_OBJECT: `s3://security-config/eks-oidc-auditor/${name}.yaml`,
    }),
    read: ['s3', 'GetObject'] as const,
    // The bucket is in another region than the Lambda: S3 answers the first request with a redirect to it.
    requests: 2,
    label: (name: string) => `s3://security-config/eks-oidc-auditor/${name}.yaml`,
  },
])('accepted risks in the Lambda ($source)', ({ world: extra, env, read, requests, label }) => {
  let sandbox: Sandbox;
  let world: World;
  let run: HandlerRun;

  beforeAll(async () => {
    // Prepare: the demo world, with the suppression file where the stack names it
    world = { ...(await loadWorld(DEMO_WORLD)), ...extra };
    sandbox = await startSandbox(world);

    // Act
    run = await runHandler(sandbox, {
      event: { trigger: 'manual', dryRun: true },
      env: { ...lambdaEnvironment(world), ...env('suppressions') },
    });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('reads it and mutes what it names', () => {
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(
      run.report?.findings.filter((finding) => finding.muted).map((finding) => finding.resource),
    ).toEqual(['arn:aws:iam::222222222222:role/irsa/orders-worker']);
    expect(run.report?.suppressions).toMatchObject({ source: label('suppressions'), stale: [] });
    expect(sandbox.log.calls(...read)).toBe(requests);
  });

  it('refuses an entry that would mute everything, naming where, and audits nothing', async () => {
    // Prepare
    const clustersRead = sandbox.log.calls('eks');

    // Act
    const refused = await runHandler(sandbox, {
      event: { trigger: 'manual', dryRun: true },
      env: { ...lambdaEnvironment(world), ...env('mute-all') },
    });

    // Assess
    expect(refused.code).not.toBe(0);
    expect(refused.report).toBeUndefined();
    expect(refused.stdout + refused.stderr).toContain(
      `suppressions ${label('mute-all')} line 2: suppressions[0]: expected at least one of check, account`,
    );
    expect(sandbox.log.calls('eks')).toBe(clustersRead);
  });
});

describe('the demo world into Security Hub (the CLI with --publish --security-hub)', () => {
  const demo = useDemoSandbox();

  it("imports every finding into the auditor account's hub, and says so", async () => {
    // Act
    const result = await demo.audit('--format', 'json', '--publish', '--security-hub');

    // Assess
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    const imported = demo.sandbox.securityhub.findings();
    expect(imported.map((finding) => finding.Id).sort()).toEqual(
      report.findings.map((finding) => `eks-oidc-auditor/${finding.id}`).sort(),
    );
    expect(result.stderr).toContain(
      `Security Hub: ${report.findings.length} finding(s) imported, 0 archived`,
    );
  });
});
