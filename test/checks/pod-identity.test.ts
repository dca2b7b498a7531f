import { describe, expect, it } from 'vitest';
import { checkPodIdentity } from '../../src/checks/pod-identity.ts';
import { checkProviders } from '../../src/checks/providers.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import type { Cluster, Inventory, PodIdentity, Role } from '../../src/model/inventory.ts';
import {
  ACCOUNT_ID,
  aCluster,
  aContext,
  anAccount,
  anAssociation,
  anInventory,
  aPodIdentityRole,
  aRole,
} from '../support/inventory.ts';

const OTHER = '444455556666';
const SCOPED = {
  StringEquals: {
    'aws:SourceAccount': ACCOUNT_ID,
    'aws:RequestTag/eks-cluster-name': 'prod',
    'aws:RequestTag/kubernetes-namespace': 'default',
    'aws:RequestTag/kubernetes-service-account': 'app',
  },
};

function aClusterWith(podIdentity: Partial<PodIdentity> = {}, overrides: Partial<Cluster> = {}): Cluster {
  const cluster = aCluster(overrides);
  return {
    ...cluster,
    podIdentity: {
      associations: [anAssociation(cluster)],
      agent: { status: 'ACTIVE', version: 'v1.3.4-eksbuild.1' },
      ...podIdentity,
    },
  };
}

function run(clusters: Cluster[], roles: Role[], extra: Partial<Inventory> = {}) {
  const inventory = anInventory({ accounts: [anAccount()], clusters, roles, providers: [], ...extra });
  return checkPodIdentity(deriveFacts(inventory), aContext());
}

function only(findings: ReturnType<typeof run>, check: string) {
  return findings.filter((finding) => finding.check === check);
}

describe('a healthy Pod Identity association', () => {
  it('is quiet: role trusting pods.eks.amazonaws.com scoped to its cluster, namespace and service account', () => {
    // Act
    const findings = run([aClusterWith()], [aPodIdentityRole('app-pod-identity', SCOPED)]);

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('pod-identity-role-missing', () => {
  it('fires, high, when the association names a role that does not exist', () => {
    // Act
    const findings = only(run([aClusterWith()], []), 'pod-identity-role-missing');

    // Assess
    expect(findings).toEqual([expect.objectContaining({ severity: 'high', cluster: 'prod' })]);
    expect(findings[0]?.remediation).toContain(
      'aws eks update-pod-identity-association --region us-east-1 --cluster-name prod',
    );
  });

  it("stays quiet when the role's account was not read", () => {
    // Act
    const findings = run([aClusterWith()], [], { accounts: [anAccount({ rolesAudited: false })] });

    // Assess
    expect(only(findings, 'pod-identity-role-missing')).toEqual([]);
  });
});

describe('pod-identity-trust-broken', () => {
  it.each([
    {
      name: 'AccessDenied: Not authorized to perform sts:TagSession (trust lacks sts:TagSession)',
      text: 'AccessDenied: Not authorized to perform sts:TagSession',
      role: aRole({
        name: 'app-pod-identity',
        trustPolicy: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
      }),
    },
    {
      name: 'AccessDenied: Not authorized to perform sts:AssumeRole (trust is for another namespace)',
      text: 'AccessDenied: Not authorized to perform sts:AssumeRole',
      role: aPodIdentityRole('app-pod-identity', {
        StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'payments' },
      }),
    },
    {
      name: 'AccessDenied: Not authorized to perform sts:AssumeRole (trust is for IRSA, not Pod Identity)',
      text: 'AccessDenied: Not authorized to perform sts:AssumeRole',
      role: aRole({
        name: 'app-pod-identity',
        trusts: ['arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X'],
      }),
    },
    {
      name: 'AccessDenied: Not authorized to perform sts:AssumeRole (a Deny for this cluster)',
      text: 'AccessDenied: Not authorized to perform sts:AssumeRole',
      role: aPodIdentityRole('app-pod-identity', undefined, undefined, [
        {
          Effect: 'Deny',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:RequestTag/eks-cluster-name': 'prod' } },
        },
      ]),
    },
  ])('fires, high: $name', ({ role, text }) => {
    // Act
    const findings = only(run([aClusterWith()], [role]), 'pod-identity-trust-broken');

    // Assess
    expect(findings).toEqual([expect.objectContaining({ severity: 'high' })]);
    expect(findings[0]?.message).toContain(text);
  });

  it('stays quiet on a condition it cannot know (aws:PrincipalOrgID): it leans towards access', () => {
    // Prepare
    const role = aPodIdentityRole('app-pod-identity', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } });

    // Act
    const findings = run([aClusterWith()], [role]);

    // Assess
    expect(only(findings, 'pod-identity-trust-broken')).toEqual([]);
  });
});

describe('pod-identity-tags-disabled', () => {
  it('fires, high, when the association disables the session tags the trust conditions on', () => {
    // Prepare
    const cluster = aCluster();
    const disabled = aClusterWith({ associations: [anAssociation(cluster, { disableSessionTags: true })] });

    // Act
    const findings = run([disabled], [aPodIdentityRole('app-pod-identity', SCOPED)]);

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['pod-identity-tags-disabled', 'high'],
    ]);
    expect(findings[0]?.remediation).toContain('--no-disable-session-tags');
  });

  it('stays quiet when the trust conditions only on aws:SourceAccount, which needs no tag', () => {
    // Prepare
    const cluster = aCluster();
    const disabled = aClusterWith({ associations: [anAssociation(cluster, { disableSessionTags: true })] });
    const role = aPodIdentityRole('app-pod-identity', { StringEquals: { 'aws:SourceAccount': ACCOUNT_ID } });

    // Act
    const findings = run([disabled], [role]);

    // Assess
    expect(only(findings, 'pod-identity-tags-disabled')).toEqual([]);
    expect(only(findings, 'pod-identity-trust-broken')).toEqual([]);
  });
});

describe('pod-identity-agent-missing', () => {
  it.each([
    { name: 'not installed', agent: null },
    { name: 'DEGRADED', agent: { status: 'DEGRADED' } },
  ])('fires, high, when the agent add-on is $name', ({ agent }) => {
    // Act
    const findings = only(
      run([aClusterWith({ agent })], [aPodIdentityRole('app-pod-identity', SCOPED)]),
      'pod-identity-agent-missing',
    );

    // Assess
    expect(findings).toEqual([expect.objectContaining({ severity: 'high', cluster: 'prod' })]);
    expect(findings[0]?.message).toContain('169.254.170.23');
  });

  it.each([
    { name: 'the cluster is in Auto Mode', cluster: aClusterWith({ agent: null }, { autoMode: true }) },
    { name: 'the cluster has no associations', cluster: aClusterWith({ associations: [] }) },
    { name: 'the agent is ACTIVE', cluster: aClusterWith() },
  ])('stays quiet when $name', ({ cluster }) => {
    // Act
    const findings = run([cluster], [aPodIdentityRole('app-pod-identity', SCOPED)]);

    // Assess
    expect(only(findings, 'pod-identity-agent-missing')).toEqual([]);
  });
});

describe('pod-identity-trust-unscoped', () => {
  it('fires, medium, on the trust the EKS guide shows, with no condition', () => {
    // Act
    const findings = only(run([], [aPodIdentityRole('open')]), 'pod-identity-trust-unscoped');

    // Assess
    expect(findings).toEqual([expect.objectContaining({ severity: 'medium', region: null })]);
  });

  it.each([
    { name: 'aws:SourceAccount', condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT_ID } } },
    {
      name: 'the namespace tag',
      condition: { StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'default' } },
    },
  ])('stays quiet when the trust is tied by $name', ({ condition }) => {
    // Act
    const findings = run([], [aPodIdentityRole('scoped', condition)]);

    // Assess
    expect(only(findings, 'pod-identity-trust-unscoped')).toEqual([]);
  });
});

/** The target role of a chained association, trusting role app-pod-identity for `actions`. */
function aTargetRole(
  condition?: Record<string, unknown>,
  actions = ['sts:AssumeRole', 'sts:TagSession'],
): Role {
  return aRole({
    name: 'target',
    accountId: OTHER,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:role/app-pod-identity` },
          Action: actions,
          ...(condition ? { Condition: condition } : {}),
        },
      ],
    },
  });
}

/** A cluster whose one association chains into role target with external id ext-123. */
function aChainedCluster(disableSessionTags = false): Cluster {
  return aClusterWith({
    associations: [
      anAssociation(aCluster(), {
        targetRoleArn: `arn:aws:iam::${OTHER}:role/target`,
        externalId: 'ext-123',
        disableSessionTags,
      }),
    ],
  });
}

describe('pod-identity-target-no-external-id', () => {
  const target = (condition?: Record<string, unknown>) => aTargetRole(condition);
  const chained = () => aChainedCluster();
  const accounts = [anAccount(), anAccount({ accountId: OTHER })];

  it("fires, medium, when the target role does not require the association's external id", () => {
    // Act
    const findings = run([chained()], [aPodIdentityRole('app-pod-identity', SCOPED), target()], { accounts });

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['pod-identity-target-no-external-id', 'medium'],
    ]);
    expect(findings[0]?.remediation).toContain('"sts:ExternalId":"ext-123"');
  });

  it('stays quiet when it does, and calls the target broken when it requires another one', () => {
    // Act
    const right = run(
      [chained()],
      [
        aPodIdentityRole('app-pod-identity', SCOPED),
        target({ StringEquals: { 'sts:ExternalId': 'ext-123' } }),
      ],
      { accounts },
    );
    const wrong = run(
      [chained()],
      [
        aPodIdentityRole('app-pod-identity', SCOPED),
        target({ StringEquals: { 'sts:ExternalId': 'ext-999' } }),
      ],
      { accounts },
    );

    // Assess
    expect(right).toEqual([]);
    expect(wrong.map((finding) => [finding.check, finding.evidence.role])).toEqual([
      ['pod-identity-trust-broken', `arn:aws:iam::${OTHER}:role/target`],
    ]);
  });
});

describe('pod-identity-trust-broken on a chained target role', () => {
  const target = (actions: string[]) =>
    aTargetRole({ StringEquals: { 'sts:ExternalId': 'ext-123' } }, actions);
  const chained = (disableSessionTags: boolean) => aChainedCluster(disableSessionTags);
  const accounts = [anAccount(), anAccount({ accountId: OTHER })];

  it('fires, high, naming sts:TagSession, when the target allows sts:AssumeRole only and the tags are kept', () => {
    // Act
    const findings = run(
      [chained(false)],
      [aPodIdentityRole('app-pod-identity', SCOPED), target(['sts:AssumeRole'])],
      {
        accounts,
      },
    );

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['pod-identity-trust-broken', 'high'],
    ]);
    expect(findings[0]?.message).toContain('but not sts:TagSession');
  });

  it('stays quiet on the target when the association disables session tags', () => {
    // Act
    const findings = run(
      [chained(true)],
      [
        aPodIdentityRole('app-pod-identity', { StringEquals: { 'aws:SourceAccount': ACCOUNT_ID } }),
        target(['sts:AssumeRole']),
      ],
      {
        accounts,
      },
    );

    // Assess
    expect(
      findings.filter((finding) => finding.evidence.role === `arn:aws:iam::${OTHER}:role/target`),
    ).toEqual([]);
  });
});

describe('provider-missing on a Pod Identity cluster', () => {
  it('is info when no role trusts the issuer and the cluster has associations', () => {
    // Prepare
    const inventory = anInventory({
      accounts: [anAccount()],
      clusters: [aClusterWith()],
      providers: [],
      roles: [],
    });

    // Act
    const findings = checkProviders(deriveFacts(inventory), aContext());

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['provider-missing', 'info'],
    ]);
    expect(findings[0]?.message).toContain('it uses Pod Identity');
  });
});

describe('the report role map', () => {
  it('lists the roles an association hands to the cluster, beside the IRSA ones', () => {
    // Prepare
    const inventory = anInventory({
      accounts: [anAccount()],
      clusters: [aClusterWith()],
      providers: [],
      roles: [aPodIdentityRole('app-pod-identity', SCOPED)],
    });

    // Act
    const [prod] = deriveFacts(inventory).assumableRoles;

    // Assess
    expect(prod?.roles).toEqual([
      expect.objectContaining({
        via: 'pod-identity',
        roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/app-pod-identity`,
        subjects: ['default:app'],
        breadth: 'exact',
      }),
    ]);
  });
});
