import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AuditDeps, collectAudit, runAudit } from '../../src/audit.ts';
import type { ConfigInput } from '../../src/config/input.ts';
import { resolveConfig } from '../../src/config/resolve.ts';
import type { IssuerProber } from '../../src/inventory/issuer-probe.ts';
import { type AwsMocks, issuerIdFor, issuerUrl, type MockWorld, mockAws } from '../support/aws-mock.ts';
import { answeringProber } from '../support/probers.ts';

const CALLER = '111122223333';
const MEMBER = '444455556666';
const DENIED = '777788889999';

let mocks: AwsMocks | undefined;
afterEach(() => mocks?.restore());

function clusters(count: number, prefix = 'c'): { name: string }[] {
  return Array.from({ length: count }, (_, i) => ({ name: `${prefix}${String(i).padStart(3, '0')}` }));
}

function deps(prober: IssuerProber, extra: Partial<AuditDeps> = {}): AuditDeps {
  if (!mocks) throw new Error('mock AWS first');
  return {
    clients: mocks.clients,
    prober,
    now: () => new Date('2026-11-22T12:00:00Z'),
    homeRegion: 'us-east-1',
    ...extra,
  };
}

function config(input: ConfigInput = {}) {
  return resolveConfig('cli', input);
}

describe('runAudit on one multi-region account', () => {
  it('makes exactly the calls the inventory needs and probes each issuer host once', async () => {
    // Prepare: 150 clusters in us-east-1 (two ListClusters pages), 3 in eu-west-1, none in ap-south-1
    const world: MockWorld = {
      caller: CALLER,
      accounts: [
        {
          id: CALLER,
          regions: { 'us-east-1': clusters(150), 'eu-west-1': clusters(3), 'ap-south-1': [] },
          providers: [
            { url: `oidc.eks.us-east-1.amazonaws.com/id/${issuerIdFor(CALLER, 'us-east-1', 'c000')}` },
            { url: `oidc.eks.eu-west-1.amazonaws.com/id/${issuerIdFor(CALLER, 'eu-west-1', 'c000')}` },
          ],
          roles: Array.from({ length: 1500 }, (_, i) => ({
            name: `role-${i}`,
            trustPolicy: { Statement: [] },
          })),
        },
      ],
    };
    mocks = mockAws(world);
    const prober = answeringProber();

    // Act
    const { report } = await runAudit(config(), deps(prober));

    // Assess
    expect(mocks.calls('ListOpenIDConnectProviders')).toHaveLength(1);
    expect(mocks.calls('GetOpenIDConnectProvider')).toHaveLength(2);
    expect(mocks.calls('ListRoles')).toHaveLength(2);
    expect(mocks.calls('ListRoles').map((c) => c.input.MaxItems)).toEqual([1000, 1000]);
    expect(mocks.calls('ListClusters')).toHaveLength(2 + 1 + 1);
    expect(mocks.calls('DescribeCluster')).toHaveLength(153);
    expect(mocks.calls('ListRegions')).toHaveLength(1);
    expect(mocks.calls('AssumeRole')).toHaveLength(0);
    expect(prober.asked).toHaveLength(1);
    expect(prober.asked[0]).toHaveLength(153);
    expect(report.summary).toMatchObject({
      accounts: 1,
      regions: 3,
      clusters: 153,
      providers: 2,
      roles: 1500,
      errors: 0,
    });
  });
  it('skips the issuer probe when the budget runs out after the inventory, naming each unprobed host', async () => {
    // Prepare: the deadline passes just as the last inventory unit finishes
    mocks = mockAws({
      caller: CALLER,
      accounts: [{ id: CALLER, regions: { 'us-east-1': clusters(2), 'eu-west-1': clusters(1) } }],
    });
    const controller = new AbortController();
    const prober = answeringProber();
    const onProgress = (p: { stage: string; done: number; total: number }) => {
      if (p.stage === 'inventory' && p.done === p.total) controller.abort();
    };

    // Act
    const { inventory } = await runAudit(config(), deps(prober, { signal: controller.signal, onProgress }));

    // Assess
    expect(prober.asked).toEqual([]);
    expect(inventory.clusters).toHaveLength(3);
    expect(inventory.errors.map((e) => [e.stage, e.region, e.code])).toEqual([
      ['time budget (issuer probe)', 'eu-west-1', 'TimeBudgetExceeded'],
      ['time budget (issuer probe)', 'us-east-1', 'TimeBudgetExceeded'],
    ]);
  });
});

describe('runAudit while one region does not answer', () => {
  it('probes the issuer of a provider that serves no cluster of its account and region before that region answers', async () => {
    // Prepare: eu-west-1 holds its answer; in us-east-1 a provider whose cluster is gone, and one whose cluster lives
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const served = issuerUrl('us-east-1', issuerIdFor(CALLER, 'us-east-1', 'c000'));
    const gone = issuerUrl('us-east-1', 'E0D1C2B3A4958677685940A3B2C1D0E9');
    mocks = mockAws({
      caller: CALLER,
      accounts: [
        {
          id: CALLER,
          regions: { 'us-east-1': clusters(1), 'eu-west-1': clusters(1) },
          heldRegions: { 'eu-west-1': held },
          providers: [{ url: served.slice('https://'.length) }, { url: gone.slice('https://'.length) }],
        },
      ],
    });
    const prober = answeringProber();

    // Act
    const audit = runAudit(config(), deps(prober));
    await vi.waitFor(() => expect(prober.added).toContain(gone));
    const describedBefore = mocks.calls('DescribeCluster').map((c) => c.region);
    release();
    const { inventory } = await audit;

    // Assess: the provider's issuer went to the prober while eu-west-1 had not answered; the served provider's
    // issuer only as its cluster's
    expect(describedBefore).toEqual(['us-east-1']);
    expect(prober.added.filter((issuer) => issuer === served)).toHaveLength(1);
    expect(inventory.issuers.map((probe) => probe.issuer)).toEqual(
      [gone, issuerUrl('eu-west-1', issuerIdFor(CALLER, 'eu-west-1', 'c000')), served].sort(),
    );
  });

  it('leaves out a probe started early for a provider that a cluster read later serves, and the host only it opened', async () => {
    // Prepare: the caller's provider for the member's cluster, under its dual-stack alias; the member answers last
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const theirs = issuerIdFor(MEMBER, 'us-east-1', 'c000');
    const alias = `https://oidc-eks.us-east-1.api.aws/id/${theirs}`;
    mocks = mockAws({
      caller: CALLER,
      accounts: [
        { id: CALLER, regions: { 'us-east-1': [] }, providers: [{ url: alias.slice('https://'.length) }] },
        { id: MEMBER, regions: { 'us-east-1': clusters(1) }, heldRegions: { 'us-east-1': held } },
      ],
    });
    const prober = answeringProber();

    // Act
    const audit = runAudit(config({ accounts: [CALLER, MEMBER] }), deps(prober));
    await vi.waitFor(() => expect(prober.added).toContain(alias));
    release();
    const { inventory, report } = await audit;

    // Assess: probed, since nothing served it yet, but the inventory is what it would be without that probe
    expect(prober.asked[0]).toContain(alias);
    expect(inventory.issuers.map((probe) => probe.issuer)).toEqual([issuerUrl('us-east-1', theirs)]);
    expect(inventory.hosts.map((probe) => probe.host)).toEqual(['oidc.eks.us-east-1.amazonaws.com']);
    expect(report.findings.filter((f) => f.check.startsWith('provider-orphaned'))).toEqual([]);
  });
});

describe('runAudit where the Pod Identity reads are denied', () => {
  it('audits the clusters and their IRSA, and names the Pod Identity gap per region as an audit error', async () => {
    // Prepare: a member role from before the Pod Identity reads
    mocks = mockAws({
      caller: CALLER,
      accounts: [
        {
          id: CALLER,
          regions: { 'us-east-1': clusters(2), 'eu-west-1': clusters(1) },
          podIdentityFailure: 'AccessDeniedException',
        },
      ],
    });

    // Act
    const { inventory, report } = await runAudit(config(), deps(answeringProber()));

    // Assess
    expect(inventory.clusters).toHaveLength(3);
    expect(inventory.clusters.every((cluster) => cluster.podIdentity === undefined)).toBe(true);
    expect(inventory.accounts[0]?.regionsAudited).toEqual(['eu-west-1', 'us-east-1']);
    expect(inventory.errors.map((e) => [e.stage, e.region, e.code]).sort()).toEqual([
      ['eks-pod-identity', 'eu-west-1', 'AccessDeniedException'],
      ['eks-pod-identity', 'us-east-1', 'AccessDeniedException'],
    ]);
    expect(report.findings.filter((f) => f.check === 'audit-error').map((f) => f.severity)).toEqual([
      'medium',
      'medium',
    ]);
  });
});

describe('runAudit on several accounts', () => {
  it('closes the issuer probe when the audit fails before the inventory ends (organization not listable)', async () => {
    // Prepare: Organizations refuses; a prober that records its run's lifecycle
    mocks = mockAws({ caller: CALLER, accounts: [{ id: CALLER, regions: { 'us-east-1': clusters(1) } }] });
    const lifecycle: string[] = [];
    const prober: IssuerProber = {
      start: () => ({
        add: () => lifecycle.push('add'),
        stop: () => lifecycle.push('stop'),
        finish: async () => {
          lifecycle.push('finish');
          return { hosts: [], issuers: [] };
        },
      }),
    };
    const denied = Object.assign(new Error('not in an organization'), {
      name: 'AWSOrganizationsNotInUseException',
    });
    const organizations = new OrganizationsClient({ region: 'us-east-1' });
    organizations.send = (() => Promise.reject(denied)) as never;
    const clients = { ...mocks.clients, organizations: () => organizations };

    // Act
    const audit = runAudit(config({ accounts: 'org' }), { ...deps(prober), clients });

    // Assess
    await expect(audit).rejects.toThrow('not in an organization');
    expect(lifecycle).toEqual(['stop', 'finish']);
  });

  it('reports a denied AssumeRole and a failing region as audit errors and audits the rest', async () => {
    // Prepare
    const world: MockWorld = {
      caller: CALLER,
      accounts: [
        { id: CALLER, regions: { 'us-east-1': clusters(1) } },
        {
          id: MEMBER,
          regions: { 'us-east-1': clusters(2), 'eu-west-1': clusters(1) },
          failingRegions: { 'eu-west-1': 'UnrecognizedClientException' },
        },
        { id: DENIED, regions: { 'us-east-1': clusters(1) }, denyAssumeRole: 'AccessDenied' },
      ],
    };
    mocks = mockAws(world);

    // Act
    const { report, inventory } = await runAudit(
      config({ accounts: [CALLER, MEMBER, DENIED] }),
      deps(answeringProber()),
    );

    // Assess
    expect(inventory.errors).toEqual([
      expect.objectContaining({
        accountId: DENIED,
        region: null,
        stage: 'assume-role',
        code: 'AccessDenied',
      }),
      expect.objectContaining({
        accountId: MEMBER,
        region: 'eu-west-1',
        stage: 'eks',
        code: 'UnrecognizedClientException',
      }),
    ]);
    expect(report.clusters.map((c) => `${c.accountId}/${c.region}/${c.name}`)).toEqual([
      `${CALLER}/us-east-1/c000`,
      `${MEMBER}/us-east-1/c000`,
      `${MEMBER}/us-east-1/c001`,
    ]);
    expect(inventory.accounts.find((a) => a.accountId === MEMBER)?.regionsAudited).toEqual(['us-east-1']);
    const auditErrors = report.findings.filter((f) => f.check === 'audit-error');
    expect(auditErrors).toHaveLength(2);
    expect(report.summary.errors).toBe(2);
    expect(report.scope.accounts).toEqual([CALLER, MEMBER, DENIED]);
  });

  it('assumes each member role once per run, with the configured name and ExternalId', async () => {
    // Prepare
    mocks = mockAws({
      caller: CALLER,
      accounts: [
        { id: CALLER, regions: {} },
        { id: MEMBER, regions: { 'us-east-1': clusters(3), 'eu-west-1': clusters(2) } },
      ],
    });

    // Act
    await runAudit(
      config({ accounts: [CALLER, MEMBER], roleName: 'Auditor', externalId: 'ext-123' }),
      deps(answeringProber()),
    );

    // Assess
    const calls = mocks.calls('AssumeRole').map((c) => c.input);
    expect(calls).toEqual([
      expect.objectContaining({
        RoleArn: `arn:aws:iam::${MEMBER}:role/Auditor`,
        ExternalId: 'ext-123',
        RoleSessionName: expect.stringMatching(/^eks-oidc-auditor-/),
      }),
    ]);
  });

  it('names a configured region that is not enabled instead of silently skipping it', async () => {
    // Prepare
    mocks = mockAws({ caller: CALLER, accounts: [{ id: CALLER, regions: { 'us-east-1': clusters(1) } }] });

    // Act
    const { inventory } = await runAudit(
      config({ regions: ['us-east-1', 'ap-east-1'] }),
      deps(answeringProber()),
    );

    // Assess
    expect(inventory.errors).toEqual([
      expect.objectContaining({ accountId: CALLER, region: 'ap-east-1', code: 'RegionNotEnabled' }),
    ]);
    expect(inventory.accounts[0]?.regionsAudited).toEqual(['us-east-1']);
  });

  it('stops starting new work once the time budget is spent and names what it did not reach', async () => {
    // Prepare
    mocks = mockAws({ caller: CALLER, accounts: [{ id: CALLER, regions: { 'us-east-1': clusters(1) } }] });
    const controller = new AbortController();
    controller.abort();

    // Act
    const { inventory } = await runAudit(config(), deps(answeringProber(), { signal: controller.signal }));

    // Assess
    expect(inventory.errors.map((e) => e.stage)).toEqual(['time budget']);
    expect(inventory.clusters).toEqual([]);
  });
});

describe('runAudit and the garbage collector', () => {
  /** A heap policy that records which phase was asked for, and what the audit had done by then. */
  function recordingHeap(events: string[]) {
    return { reading: () => events.push('reading'), judging: () => events.push('judging') };
  }

  it('loosens the heap for the reads and tightens it before the facts, checks and report', async () => {
    // Prepare
    mocks = mockAws({ caller: CALLER, accounts: [{ id: CALLER, regions: { 'us-east-1': clusters(2) } }] });
    const events: string[] = [];
    const progress = ({ stage }: { stage: string }) => {
      if (events.at(-1) !== stage) events.push(stage);
    };

    // Act
    await runAudit(config(), deps(answeringProber(), { heap: recordingHeap(events), onProgress: progress }));

    // Assess: the reads (scope, inventory, probe) between the two, the checks after
    expect(events[0]).toBe('reading');
    expect(events.indexOf('judging')).toBeGreaterThan(events.lastIndexOf('inventory'));
    expect(events.indexOf('judging')).toBeLessThan(events.indexOf('checks'));
    expect(events.filter((event) => event === 'judging')).toHaveLength(1);
  });

  it('tightens the heap again when the reads fail', async () => {
    // Prepare: Organizations refuses
    mocks = mockAws({ caller: CALLER, accounts: [{ id: CALLER, regions: { 'us-east-1': clusters(1) } }] });
    const events: string[] = [];
    const organizations = new OrganizationsClient({ region: 'us-east-1' });
    organizations.send = (() => Promise.reject(new Error('not in an organization'))) as never;
    const clients = { ...mocks.clients, organizations: () => organizations };

    // Act
    const audit = runAudit(config({ accounts: 'org' }), {
      ...deps(answeringProber(), { heap: recordingHeap(events) }),
      clients,
    });

    // Assess
    await expect(audit).rejects.toThrow('not in an organization');
    expect(events).toEqual(['reading', 'judging']);
  });
});

describe("collectAudit of a fan-out shard given its plan's accounts", () => {
  it('reads its share of the planned accounts, with their names and OU paths, without listing the organization', async () => {
    // Prepare: the plan listed four accounts, two per shard; the organization (which the mock cannot list) is
    // not asked again
    const THIRD = '888800001111';
    const aws = mockAws({
      caller: CALLER,
      accounts: [
        { id: CALLER, regions: {} },
        { id: MEMBER, regions: { 'us-east-1': clusters(1) } },
        { id: THIRD, regions: { 'us-east-1': clusters(2) } },
      ],
    });
    mocks = aws;
    const planned = {
      ids: [CALLER, MEMBER, DENIED, THIRD].sort(),
      names: { [CALLER]: 'security', [MEMBER]: 'prod', [THIRD]: 'dev' },
      ouPaths: {
        [CALLER]: '/Security',
        [MEMBER]: '/Workloads/Prod',
        [DENIED]: '/',
        [THIRD]: '/Workloads/Dev',
      },
    };

    const organizationAsked: string[] = [];
    const clients = {
      ...aws.clients,
      organizations: (...args: Parameters<typeof aws.clients.organizations>) => {
        organizationAsked.push('organizations');
        return aws.clients.organizations(...args);
      },
    };

    // Act
    const { scope, inventory } = await collectAudit(
      config({ accounts: 'org', shard: { index: 2, count: 2 } }),
      { ...deps(answeringProber(), { planned }), clients },
    );

    // Assess: shard 2 of the sorted plan's accounts, the plan's names and paths for all, no Organizations call
    expect(scope.accountsInScope).toEqual([DENIED, THIRD]);
    expect(inventory.clusters.map((c) => c.accountId)).toEqual([THIRD, THIRD]);
    expect(scope.split?.accounts).toEqual(planned.ids);
    expect(scope.accountNames).toEqual(planned.names);
    expect(scope.ouPaths).toEqual(planned.ouPaths);
    expect(organizationAsked).toEqual([]);
  });
});
