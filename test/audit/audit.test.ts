// runAudit and collectAudit against the sandbox (test/sandbox): the product's clients, AWS's wire format, and the
// failures a test needs asked of the sandbox (denied reads, a region that answers late, a refused AssumeRole).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AuditDeps, collectAudit, judgeAudit, runAudit } from '../../src/audit.ts';
import { createAwsClients } from '../../src/clients/aws.ts';
import type { ConfigInput } from '../../src/config/options.ts';
import { resolveConfig } from '../../src/config/resolve.ts';
import type { IssuerProber } from '../../src/inventory/issuer-probe.ts';
import {
  account,
  CALLER_ID as CALLER,
  callerAccount,
  clusters,
  OTHER_ID as DENIED,
  derivedIssuer,
  MEMBER_ID as MEMBER,
  provider,
  role,
  world,
} from '../sandbox/world-builders.ts';
import { answeringProber } from '../support/probers.ts';
import { startAuditSandbox, stopSandboxes } from '../support/sandbox-aws.ts';

afterEach(stopSandboxes);

/** The issuer URL the sandbox gives a world cluster without an explicit one. */
function issuerOf(accountId: string, region: string, name: string): string {
  return `https://${derivedIssuer(accountId, region, name)}`;
}

/** An account's fields for clusters in us-east-1 and eu-west-1, both enabled. */
function twoRegionsOf(inUsEast1: number, inEuWest1: number) {
  return {
    regions: ['us-east-1', 'eu-west-1'],
    clusters: [...clusters(inUsEast1, 'us-east-1'), ...clusters(inEuWest1, 'eu-west-1')],
  };
}

function deps(prober: IssuerProber, extra: Partial<AuditDeps> = {}): AuditDeps {
  return {
    clients: createAwsClients({ maxAttempts: 1 }),
    prober,
    now: () => new Date('2026-11-22T12:00:00Z'),
    homeRegion: 'us-east-1',
    ...extra,
  };
}

function config(input: ConfigInput = {}) {
  return resolveConfig('cli', input);
}

/**
 * runAudit's reads and judgement, with what was read kept beside the report for the tests that assess it:
 * runAudit itself lets the inventory go once the report is built (docs/performance.md, "Memory").
 */
async function auditKeepingInventory(auditConfig: ReturnType<typeof config>, auditDeps: AuditDeps) {
  const collected = await collectAudit(auditConfig, auditDeps);
  const { report } = await judgeAudit(auditConfig, collected, auditDeps, { suppressions: undefined });
  return { report, inventory: collected.inventory };
}

describe('runAudit on one multi-region account', () => {
  it('makes exactly the calls the inventory needs and probes each issuer host once', async () => {
    // Prepare: 150 clusters in us-east-1 (two ListClusters pages), 3 in eu-west-1, none in ap-south-1
    const sandbox = await startAuditSandbox(
      world([
        callerAccount({
          regions: ['us-east-1', 'eu-west-1', 'ap-south-1'],
          clusters: [...clusters(150, 'us-east-1'), ...clusters(3, 'eu-west-1')],
          oidcProviders: [
            provider(derivedIssuer(CALLER, 'us-east-1', 'cluster-000')),
            provider(derivedIssuer(CALLER, 'eu-west-1', 'cluster-000')),
          ],
          roles: Array.from({ length: 1500 }, (_, i) => role(`role-${i}`, { Statement: [] })),
          assumableRoles: [],
        }),
      ]),
    );
    const prober = answeringProber();

    // Act
    const { report } = await runAudit(config(), deps(prober));

    // Assess
    expect(sandbox.log.calls('iam', 'ListOpenIDConnectProviders')).toBe(1);
    expect(sandbox.log.calls('iam', 'GetOpenIDConnectProvider')).toBe(2);
    expect(sandbox.log.entriesOf('iam', 'ListRoles').map((c) => c.detail?.maxItems)).toEqual([1000, 1000]);
    expect(sandbox.log.calls('eks', 'ListClusters')).toBe(2 + 1 + 1);
    expect(sandbox.log.calls('eks', 'DescribeCluster')).toBe(153);
    expect(sandbox.log.calls('account', 'ListRegions')).toBe(1);
    expect(sandbox.log.calls('sts', 'AssumeRole')).toBe(0);
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
    await startAuditSandbox(
      world([
        callerAccount({
          regions: ['us-east-1', 'eu-west-1'],
          clusters: [...clusters(2, 'us-east-1'), ...clusters(1, 'eu-west-1')],
        }),
      ]),
    );
    const controller = new AbortController();
    const prober = answeringProber();
    const onProgress = (p: { stage: string; done: number; total: number }) => {
      if (p.stage === 'inventory' && p.done === p.total) controller.abort();
    };

    // Act
    const { inventory } = await auditKeepingInventory(
      config(),
      deps(prober, { signal: controller.signal, onProgress }),
    );

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
    const served = issuerOf(CALLER, 'us-east-1', 'cluster-000');
    const gone = 'https://oidc.eks.us-east-1.amazonaws.com/id/E0D1C2B3A4958677685940A3B2C1D0E9';
    const sandbox = await startAuditSandbox(
      world([
        callerAccount({
          regions: ['us-east-1', 'eu-west-1'],
          clusters: [...clusters(1, 'us-east-1'), ...clusters(1, 'eu-west-1')],
          oidcProviders: [provider(served.slice('https://'.length)), provider(gone.slice('https://'.length))],
        }),
      ]),
    );
    const release = sandbox.faults.hold('eks:ListClusters', { region: 'eu-west-1' });
    const prober = answeringProber();

    // Act
    const audit = auditKeepingInventory(config(), deps(prober));
    // The reads before it are real calls: wait as long as a loaded machine may need, not vi.waitFor's 1 s.
    await vi.waitFor(() => expect(prober.added).toContain(gone), { timeout: 10_000 });
    const describedBefore = sandbox.log.entriesOf('eks', 'DescribeCluster').map((c) => c.region);
    release();
    const { inventory } = await audit;

    // Assess: the provider's issuer went to the prober while eu-west-1 had not answered; the served provider's
    // issuer only as its cluster's
    expect(describedBefore).toEqual(['us-east-1']);
    expect(prober.added.filter((issuer) => issuer === served)).toHaveLength(1);
    expect(inventory.issuers.map((probe) => probe.issuer)).toEqual(
      [gone, issuerOf(CALLER, 'eu-west-1', 'cluster-000'), served].sort(),
    );
  });

  it('leaves out a probe started early for a provider that a cluster read later serves, and the host only it opened', async () => {
    // Prepare: the caller's provider for the member's cluster, under its dual-stack alias; the member answers last
    const theirs = issuerOf(MEMBER, 'us-east-1', 'cluster-000');
    const alias = theirs.replace('oidc.eks.us-east-1.amazonaws.com', 'oidc-eks.us-east-1.api.aws');
    const sandbox = await startAuditSandbox(
      world([
        callerAccount({ regions: ['us-east-1'], oidcProviders: [provider(alias.slice('https://'.length))] }),
        account(MEMBER, { regions: ['us-east-1'], clusters: clusters(1, 'us-east-1') }),
      ]),
    );
    const release = sandbox.faults.hold('eks:ListClusters', { account: MEMBER });
    const prober = answeringProber();

    // Act
    const audit = auditKeepingInventory(config({ accounts: [CALLER, MEMBER] }), deps(prober));
    await vi.waitFor(() => expect(prober.added).toContain(alias), { timeout: 10_000 });
    release();
    const { inventory, report } = await audit;

    // Assess: probed, since nothing served it yet, but the inventory is what it would be without that probe
    expect(prober.asked[0]).toContain(alias);
    expect(inventory.issuers.map((probe) => probe.issuer)).toEqual([theirs]);
    expect(inventory.hosts.map((probe) => probe.host)).toEqual(['oidc.eks.us-east-1.amazonaws.com']);
    expect(report.findings.filter((f) => f.check.startsWith('provider-orphaned'))).toEqual([]);
  });
});

describe('runAudit where the Pod Identity reads are denied', () => {
  it('audits the clusters and their IRSA, and names the Pod Identity gap per region as an audit error', async () => {
    // Prepare: a member role from before the Pod Identity reads
    await startAuditSandbox(
      world([callerAccount(twoRegionsOf(2, 1))], {
        faults: {
          accessDenied: [{ account: CALLER, service: 'eks', operations: ['ListPodIdentityAssociations'] }],
        },
      }),
    );

    // Act
    const { inventory, report } = await auditKeepingInventory(config(), deps(answeringProber()));

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
    // Prepare: the caller belongs to no organization; a prober that records its run's lifecycle
    await startAuditSandbox(world([callerAccount({ clusters: clusters(1) })]));
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

    // Act
    const audit = runAudit(config({ accounts: 'org' }), deps(prober));

    // Assess
    await expect(audit).rejects.toMatchObject({ name: 'AWSOrganizationsNotInUseException' });
    expect(lifecycle).toEqual(['stop', 'finish']);
  });

  it('reports a denied AssumeRole and a failing region as audit errors and audits the rest', async () => {
    // Prepare: the member's eu-west-1 takes none of its keys; the third account refuses every AssumeRole
    await startAuditSandbox(
      world(
        [
          callerAccount({ clusters: clusters(1) }),
          account(MEMBER, twoRegionsOf(2, 1)),
          account(DENIED, { clusters: clusters(1), denyAssumeRole: true }),
        ],
        { faults: { disabledRegions: { [MEMBER]: ['eu-west-1'] } } },
      ),
    );

    // Act
    const { report, inventory } = await auditKeepingInventory(
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
      `${CALLER}/us-east-1/cluster-000`,
      `${MEMBER}/us-east-1/cluster-000`,
      `${MEMBER}/us-east-1/cluster-001`,
    ]);
    expect(inventory.accounts.find((a) => a.accountId === MEMBER)?.regionsAudited).toEqual(['us-east-1']);
    const auditErrors = report.findings.filter((f) => f.check === 'audit-error');
    expect(auditErrors).toHaveLength(2);
    expect(report.summary.errors).toBe(2);
    expect(report.scope.accounts).toEqual([CALLER, MEMBER, DENIED]);
  });

  it('assumes each member role once per run, with the configured name and ExternalId', async () => {
    // Prepare: the member's role Auditor trusts the caller with that ExternalId only
    const sandbox = await startAuditSandbox(
      world([
        callerAccount(),
        account(MEMBER, { ...twoRegionsOf(3, 2), assumableRoles: ['Auditor'], externalId: 'ext-123' }),
      ]),
    );

    // Act
    const { inventory } = await auditKeepingInventory(
      config({ accounts: [CALLER, MEMBER], roleName: 'Auditor', externalId: 'ext-123' }),
      deps(answeringProber()),
    );

    // Assess
    expect(sandbox.log.assumeRoles).toEqual([
      {
        callerAccount: CALLER,
        roleArn: `arn:aws:iam::${MEMBER}:role/Auditor`,
        externalId: 'ext-123',
        roleSessionName: expect.stringMatching(/^eks-oidc-auditor-/),
        outcome: 'ok',
      },
    ]);
    expect(inventory.clusters).toHaveLength(5);
  });

  it('names a configured region that is not enabled instead of silently skipping it', async () => {
    // Prepare
    await startAuditSandbox(world([callerAccount({ regions: ['us-east-1'], clusters: clusters(1) })]));

    // Act
    const { inventory } = await auditKeepingInventory(
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
    const sandbox = await startAuditSandbox(world([callerAccount({ clusters: clusters(1) })]));
    const controller = new AbortController();
    controller.abort();

    // Act
    const { inventory } = await auditKeepingInventory(
      config(),
      deps(answeringProber(), { signal: controller.signal }),
    );

    // Assess
    expect(inventory.errors.map((e) => e.stage)).toEqual(['time budget']);
    expect(inventory.clusters).toEqual([]);
    expect(sandbox.log.calls('eks')).toBe(0);
  });
});

describe('runAudit and the garbage collector', () => {
  /** A heap policy that records which phase was asked for, and what the audit had done by then. */
  function recordingHeap(events: string[]) {
    return { reading: () => events.push('reading'), judging: () => events.push('judging') };
  }

  it('loosens the heap for the reads and tightens it before the facts, checks and report', async () => {
    // Prepare
    await startAuditSandbox(world([callerAccount({ clusters: clusters(2) })]));
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
    // Prepare: the caller belongs to no organization
    await startAuditSandbox(world([callerAccount({ clusters: clusters(1) })]));
    const events: string[] = [];

    // Act
    const audit = runAudit(
      config({ accounts: 'org' }),
      deps(answeringProber(), { heap: recordingHeap(events) }),
    );

    // Assess
    await expect(audit).rejects.toMatchObject({ name: 'AWSOrganizationsNotInUseException' });
    expect(events).toEqual(['reading', 'judging']);
  });
});

describe("collectAudit of a fan-out shard given its plan's accounts", () => {
  it('reads its share of the planned accounts, with their names and OU paths, without listing the organization', async () => {
    // Prepare: the plan listed four accounts, two per shard (one of them gone since); the organization, which
    // would answer, is not asked again
    const THIRD = '444444444444';
    const sandbox = await startAuditSandbox(
      world(
        [
          callerAccount(),
          account(MEMBER, { clusters: clusters(1) }),
          account(THIRD, { clusters: clusters(2) }),
        ],
        { organization: { managementAccount: CALLER } },
      ),
    );
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

    // Act
    const { scope, inventory } = await collectAudit(
      config({ accounts: 'org', shard: { index: 2, count: 2 } }),
      deps(answeringProber(), { planned }),
    );

    // Assess: shard 2 of the sorted plan's accounts, the plan's names and paths for all, no Organizations call
    expect(scope.accountsInScope).toEqual([DENIED, THIRD]);
    expect(inventory.clusters.map((c) => c.accountId)).toEqual([THIRD, THIRD]);
    expect(scope.split?.accounts).toEqual(planned.ids);
    expect(scope.accountNames).toEqual(planned.names);
    expect(scope.ouPaths).toEqual(planned.ouPaths);
    expect(sandbox.log.calls('organizations')).toBe(0);
  });
});
