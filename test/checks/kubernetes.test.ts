import { describe, expect, it } from 'vitest';
import { checkKubernetes } from '../../src/checks/kubernetes.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import type { Cluster, Inventory, KubernetesSide, OidcProvider, Role } from '../../src/model/inventory.ts';
import {
  ACCOUNT_ID,
  aCluster,
  aContext,
  anAccount,
  anAssociation,
  anInventory,
  aProvider,
  aRole,
  STS_AUDIENCE,
  withoutScheme,
} from '../support/inventory.ts';
import { aPod, aServiceAccount, readCluster, roleArnOf, unannotatedIn } from '../support/kubernetes.ts';

const OTHER = '444455556666';
const OUTSIDE = '777788889999';

/** Cluster `prod` read, its provider, and role `app-irsa` trusting `default:app`: every part agrees. */
function healthy(side: Partial<KubernetesSide> = {}, cluster: Cluster = aCluster()) {
  const provider = aProvider({ cluster });
  return {
    cluster: readCluster(cluster, side),
    provider,
    role: aRole({ trusts: [provider.arn] }),
  };
}

/** A role whose trust lets the cluster's provider in under `sub` (and `aud`) conditions, with `more` statements. */
function aTrustingRole(
  provider: OidcProvider,
  condition: Record<string, Record<string, unknown>>,
  overrides: Partial<Role> = {},
  more: Record<string, unknown>[] = [],
): Role {
  return aRole({
    ...overrides,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: provider.arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: condition,
        },
        ...more,
      ],
    },
  });
}

function run(
  parts: { clusters: Cluster[]; providers: OidcProvider[]; roles: Role[] },
  extra: Partial<Inventory> = {},
) {
  const inventory = anInventory({ accounts: [anAccount()], ...parts, ...extra });
  return checkKubernetes(deriveFacts(inventory), aContext());
}

function checksOf(findings: ReturnType<typeof run>): string[] {
  return findings.map((finding) => finding.check);
}

describe('a cluster whose halves agree', () => {
  it('is quiet: annotation, role, provider, trust, audience and pods all match', () => {
    // Prepare
    const { cluster, provider, role } = healthy();

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess
    expect(findings).toEqual([]);
  });

  it('is not judged when its Kubernetes side was not read', () => {
    // Prepare
    const provider = aProvider();
    const role = aRole({ trusts: [provider.arn], name: 'other' });

    // Act
    const findings = run({ clusters: [aCluster()], providers: [provider], roles: [role] });

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('sa-role-invalid', () => {
  it('fires, high, on an annotation that is a role name, not an ARN', () => {
    // Prepare
    const { cluster, provider, role } = healthy({
      serviceAccounts: [aServiceAccount({ roleArn: 'app-irsa' })],
      pods: [],
    });

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess
    expect(findings).toMatchObject([{ check: 'sa-role-invalid', severity: 'high', resource: cluster.arn }]);
    expect(findings[0]?.message).toContain('Request ARN is invalid');
  });

  it('stays quiet on a role ARN with a path', () => {
    // Prepare
    const annotated = `arn:aws:iam::${ACCOUNT_ID}:role/irsa/app-irsa`;
    const { cluster, provider, role } = healthy({
      serviceAccounts: [aServiceAccount({ roleArn: annotated })],
      pods: [aPod({ roleArns: [annotated] })],
    });

    // Act
    const findings = run({
      clusters: [cluster],
      providers: [provider],
      roles: [{ ...role, path: '/irsa/' }],
    });

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('sa-role-missing', () => {
  it('fires, high, when the annotated role does not exist in its audited account', () => {
    // Prepare
    const gone = roleArnOf('gone');
    const { cluster, provider, role } = healthy({
      serviceAccounts: [aServiceAccount({ roleArn: gone })],
      pods: [aPod({ roleArns: [gone] })],
    });

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess
    expect(checksOf(findings)).toEqual(['sa-role-missing']);
  });

  it('stays quiet on a role in an account outside the audit: named by the role map, not guessed', () => {
    // Prepare
    const outside = roleArnOf('app-irsa', OUTSIDE);
    const { cluster, provider, role } = healthy({
      serviceAccounts: [aServiceAccount({ roleArn: outside })],
      pods: [aPod({ roleArns: [outside] })],
    });

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('sa-trust-mismatch', () => {
  it('fires, high, when the trust names another namespace', () => {
    // Prepare
    const { cluster, provider, role } = healthy({
      serviceAccounts: [aServiceAccount(), aServiceAccount({ namespace: 'payments' })],
      namespaces: ['default', 'payments'],
    });

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess
    expect(findings).toMatchObject([{ check: 'sa-trust-mismatch', severity: 'high' }]);
    expect(findings[0]?.message).toContain('system:serviceaccount:payments:app');
  });

  it('fires when a Deny statement keeps the service account out', () => {
    // Prepare
    const { cluster, provider } = healthy();
    const url = withoutScheme(provider.url);
    const role = aTrustingRole(
      provider,
      { StringLike: { [`${url}:sub`]: 'system:serviceaccount:default:*' } },
      {},
      [
        {
          Effect: 'Deny',
          Principal: { Federated: provider.arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${url}:sub`]: 'system:serviceaccount:default:app' } },
        },
      ],
    );

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess
    expect(checksOf(findings)).toEqual(['sa-trust-mismatch']);
  });

  it('stays quiet when the condition key is written in another case, as STS compares keys', () => {
    // Prepare
    const { cluster, provider } = healthy();
    const key = withoutScheme(provider.url).toUpperCase();
    const role = aTrustingRole(provider, {
      StringEquals: { [`${key}:sub`]: 'system:serviceaccount:default:app', [`${key}:aud`]: STS_AUDIENCE },
    });

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('sa-provider-missing', () => {
  it("fires, high, when the annotated role's account has no provider for the cluster's issuer", () => {
    // Prepare
    const { cluster, provider } = healthy();
    const foreign = aRole({ accountId: OTHER, trusts: [provider.arn.replace(ACCOUNT_ID, OTHER)] });
    const side = {
      serviceAccounts: [aServiceAccount({ roleArn: foreign.arn })],
      pods: [aPod({ roleArns: [foreign.arn] })],
    };

    // Act
    const findings = run(
      { clusters: [readCluster(aCluster(), side)], providers: [provider], roles: [foreign] },
      { accounts: [anAccount(), anAccount({ accountId: OTHER, regionsAudited: [] })] },
    );

    // Assess
    expect(findings).toMatchObject([{ check: 'sa-provider-missing', accountId: ACCOUNT_ID }]);
    expect(findings[0]?.remediation).toContain(
      `aws iam create-open-id-connect-provider --url ${cluster.issuer}`,
    );
  });

  it('stays quiet when that account has the provider and its trust admits the service account', () => {
    // Prepare
    const cluster = aCluster();
    const local = aProvider({ cluster });
    const there = aProvider({ cluster, accountId: OTHER });
    const foreign = aRole({ accountId: OTHER, trusts: [there.arn] });
    const side = {
      serviceAccounts: [aServiceAccount({ roleArn: foreign.arn })],
      pods: [aPod({ roleArns: [foreign.arn] })],
    };

    // Act
    const findings = run(
      { clusters: [readCluster(cluster, side)], providers: [local, there], roles: [foreign] },
      { accounts: [anAccount(), anAccount({ accountId: OTHER, regionsAudited: [] })] },
    );

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('sa-audience-mismatch', () => {
  it('fires, high, when the annotated audience is not a client ID of the provider', () => {
    // Prepare
    const { cluster, provider, role } = healthy({
      serviceAccounts: [aServiceAccount({ audience: 'vault' })],
    });

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess
    expect(findings).toMatchObject([{ check: 'sa-audience-mismatch', severity: 'high' }]);
    expect(findings[0]?.message).toContain('Incorrect token audience');
  });

  it('stays quiet when the provider and the trust both accept that audience', () => {
    // Prepare
    const { cluster, provider } = healthy({ serviceAccounts: [aServiceAccount({ audience: 'vault' })] });
    const accepting = { ...provider, clientIds: [STS_AUDIENCE, 'vault'] };
    const url = withoutScheme(provider.url);
    const role = aTrustingRole(accepting, {
      StringEquals: {
        [`${url}:sub`]: 'system:serviceaccount:default:app',
        [`${url}:aud`]: [STS_AUDIENCE, 'vault'],
      },
    });

    // Act
    const findings = run({ clusters: [cluster], providers: [accepting], roles: [role] });

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('pod-identity-stale', () => {
  it('fires, medium, on a running pod without AWS_ROLE_ARN: it started before the annotation', () => {
    // Prepare
    const { cluster, provider, role } = healthy({ pods: [aPod({ roleArns: [], webIdentity: false })] });

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess
    expect(findings).toMatchObject([{ check: 'pod-identity-stale', severity: 'medium' }]);
    expect(findings[0]?.message).toContain('carry no AWS_ROLE_ARN');
  });

  it('stays quiet on a pod that gets Pod Identity credentials instead', () => {
    // Prepare
    const { cluster, provider, role } = healthy({
      pods: [aPod({ roleArns: [], webIdentity: false, podIdentity: true })],
    });

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('trust-subject-dangling', () => {
  it('fires, medium, on an exact subject whose service account does not exist in the cluster', () => {
    // Prepare
    const { cluster, provider } = healthy();
    const url = withoutScheme(provider.url);
    const role = aTrustingRole(provider, {
      StringEquals: {
        [`${url}:sub`]: ['system:serviceaccount:default:app', 'system:serviceaccount:batch:reports'],
        [`${url}:aud`]: STS_AUDIENCE,
      },
    });

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess
    expect(findings).toMatchObject([
      { check: 'trust-subject-dangling', severity: 'medium', resource: role.arn },
    ]);
    expect(findings[0]?.message).toContain('the namespace does not exist');
  });

  it('judges a cluster of many service accounts, which it indexes rather than scans, as a small one', () => {
    // Prepare: 100 service accounts in namespace batch; the trust names one of them and one that is not there
    const many = Array.from({ length: 100 }, (_, i) => `job-${i}`);
    const { cluster, provider } = healthy({
      namespaces: ['batch', 'default', 'kube-system'],
      unannotated: [unannotatedIn('batch', ...many)],
    });
    const url = withoutScheme(provider.url);
    const role = aTrustingRole(provider, {
      StringEquals: {
        [`${url}:sub`]: [
          'system:serviceaccount:default:app',
          'system:serviceaccount:batch:job-42',
          'system:serviceaccount:batch:job-100',
        ],
        [`${url}:aud`]: STS_AUDIENCE,
      },
    });

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess: job-42 exists; job-100 does not, in a namespace that does
    expect(findings).toMatchObject([{ check: 'trust-subject-dangling', resource: role.arn }]);
    expect(findings[0]?.message).toContain('admits system:serviceaccount:batch:job-100 of cluster');
    expect(findings[0]?.message).toContain('the service account does not exist');
  });

  it('stays quiet on a wildcard subject: nobody has to create a name for it', () => {
    // Prepare
    const { cluster, provider } = healthy();
    const url = withoutScheme(provider.url);
    const role = aTrustingRole(provider, {
      StringLike: { [`${url}:sub`]: 'system:serviceaccount:default:*', [`${url}:aud`]: STS_AUDIENCE },
    });

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('pod-identity-subject-dangling', () => {
  it('fires, medium, on an association naming a service account that does not exist', () => {
    // Prepare
    const base = aCluster();
    const { provider, role } = healthy();
    const cluster = readCluster({
      ...base,
      podIdentity: { associations: [anAssociation(base, { serviceAccount: 'ghost' })] },
    });

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess
    expect(findings).toMatchObject([{ check: 'pod-identity-subject-dangling', severity: 'medium' }]);
    expect(findings[0]?.message).toContain('the service account does not exist');
  });

  it('stays quiet on an association of a service account that exists', () => {
    // Prepare
    const base = aCluster();
    const { provider, role } = healthy();
    const cluster = readCluster(
      { ...base, podIdentity: { associations: [anAssociation(base, { serviceAccount: 'worker' })] } },
      { unannotated: [unannotatedIn('default', 'default', 'worker')] },
    );

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('sa-irsa-shadowed', () => {
  it('fires, low, on a service account with an annotation and a Pod Identity association', () => {
    // Prepare
    const base = aCluster();
    const { provider, role } = healthy();
    const cluster = readCluster({ ...base, podIdentity: { associations: [anAssociation(base)] } });

    // Act
    const findings = run({ clusters: [cluster], providers: [provider], roles: [role] });

    // Assess
    expect(findings).toMatchObject([{ check: 'sa-irsa-shadowed', severity: 'low' }]);
  });
});
