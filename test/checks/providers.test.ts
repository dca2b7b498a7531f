import { describe, expect, it } from 'vitest';
import { checkProviders } from '../../src/checks/providers.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import type { Inventory } from '../../src/model/inventory.ts';
import {
  ACCOUNT_ID,
  aCluster,
  aContext,
  aHealthyInventory,
  aliasUrl,
  anAccount,
  anInventory,
  anOidcId,
  aProvider,
  aRole,
  eksIssuer,
  providerArnFor,
  REGION,
} from '../support/inventory.ts';

const cluster = aCluster();
const provider = aProvider({ cluster });
const alias = aProvider({ cluster, alias: true });

function findings(inventory: Inventory, check: string) {
  return checkProviders(deriveFacts(inventory), aContext()).filter((finding) => finding.check === check);
}

describe('provider-missing', () => {
  it.each([
    {
      name: 'a role trusts the issuer: high (IRSA in use and broken)',
      roles: [aRole({ trusts: [provider.arn] })],
      severity: 'high',
    },
    { name: 'no role trusts the issuer: medium (may use EKS Pod Identity)', roles: [], severity: 'medium' },
    {
      name: 'only a role of another account trusts it: medium',
      roles: [
        aRole({ accountId: '444455556666', trusts: [providerArnFor(cluster.issuer ?? '', '444455556666')] }),
      ],
      severity: 'medium',
    },
  ])('No OpenIDConnect provider found in your account: $name', ({ roles, severity }) => {
    // Prepare
    const inventory = anInventory({ clusters: [cluster], roles });

    // Act
    const [finding, ...rest] = findings(inventory, 'provider-missing');

    // Assess
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity,
      accountId: ACCOUNT_ID,
      region: REGION,
      resource: cluster.arn,
      cluster: 'prod',
      remediation: expect.stringContaining(
        'eksctl utils associate-iam-oidc-provider --cluster prod --region us-east-1 --approve',
      ),
    });
    expect(finding?.message).toContain(
      `InvalidIdentityToken: No OpenIDConnect provider found in your account for ${cluster.issuer}`,
    );
    expect(finding?.remediation).toContain(
      `aws iam create-open-id-connect-provider --url ${cluster.issuer} --client-id-list sts.amazonaws.com`,
    );
  });

  it('lists the roles that trust the missing issuer as evidence', () => {
    // Prepare
    const role = aRole({ name: 'payments-irsa', trusts: [provider.arn] });
    const inventory = anInventory({ clusters: [cluster], roles: [role, aRole({ name: 'unrelated' })] });

    // Act
    const [finding] = findings(inventory, 'provider-missing');

    // Assess
    expect(finding?.evidence).toMatchObject({ rolesTrustingIssuer: [role.arn], rolesAudited: true });
  });

  it.each([
    {
      name: 'the provider is registered',
      inventory: anInventory({ clusters: [cluster], providers: [provider] }),
    },
    {
      name: 'the provider URL differs only in host case and a trailing slash',
      inventory: anInventory({
        clusters: [cluster],
        providers: [aProvider({ url: `OIDC.EKS.US-EAST-1.AMAZONAWS.COM/id/${anOidcId('prod')}/` })],
      }),
    },
    {
      name: 'the cluster issuer has a trailing slash',
      inventory: anInventory({
        clusters: [aCluster({ issuer: `${cluster.issuer}/` })],
        providers: [provider],
      }),
    },
    {
      name: 'the cluster has no issuer (Outposts local cluster)',
      inventory: anInventory({ clusters: [aCluster({ issuer: null })] }),
    },
    {
      name: "the account's providers were not read, so absence proves nothing",
      inventory: anInventory({ accounts: [anAccount({ providersAudited: false })], clusters: [cluster] }),
    },
    {
      name: 'only the alias is registered (provider-alias-url says so instead)',
      inventory: anInventory({ clusters: [cluster], providers: [alias] }),
    },
  ])('is quiet when $name', ({ inventory }) => {
    // Act
    const result = findings(inventory, 'provider-missing');

    // Assess
    expect(result).toEqual([]);
  });

  it('does not count a provider of the same issuer in another account', () => {
    // Prepare
    const elsewhere = aProvider({ cluster, accountId: '444455556666' });
    const inventory = anInventory({ clusters: [cluster], providers: [elsewhere] });

    // Act
    const result = findings(inventory, 'provider-missing');

    // Assess
    expect(result).toHaveLength(1);
  });
});

describe('provider-alias-url', () => {
  it('No OpenIDConnect provider found in your account: only the dual-stack alias is registered', () => {
    // Prepare
    const role = aRole({ trusts: [alias.arn] });
    const inventory = anInventory({ clusters: [cluster], providers: [alias], roles: [role] });
    const canonicalArn = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/${anOidcId('prod')}`;

    // Act
    const result = findings(inventory, 'provider-alias-url');

    // Assess
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({
      severity: 'high',
      resource: cluster.arn,
      cluster: 'prod',
      region: REGION,
    });
    expect(result[0]?.message).toContain(aliasUrl(REGION, anOidcId('prod')));
    expect(result[0]?.message).toContain(
      `InvalidIdentityToken: No OpenIDConnect provider found in your account for ${cluster.issuer}`,
    );
    expect(result[0]?.remediation.split('\n')).toEqual([
      `aws iam create-open-id-connect-provider --url ${cluster.issuer} --client-id-list sts.amazonaws.com`,
      `# then set Principal.Federated to ${canonicalArn} in the trust policy of: ${role.arn}`,
      `aws iam delete-open-id-connect-provider --open-id-connect-provider-arn ${alias.arn}`,
    ]);
    expect(result[0]?.evidence).toMatchObject({
      aliasProviders: [alias.arn],
      rolesTrustingAlias: [role.arn],
    });
  });

  it.each([
    { name: 'alias and canonical are both registered', providers: [alias, provider] },
    { name: 'only the canonical URL is registered', providers: [provider] },
    { name: 'nothing is registered (provider-missing says so instead)', providers: [] },
  ])('is quiet when $name', ({ providers }) => {
    // Prepare
    const inventory = anInventory({ clusters: [cluster], providers });

    // Act
    const result = findings(inventory, 'provider-alias-url');

    // Assess
    expect(result).toEqual([]);
  });
});

describe('provider-orphaned', () => {
  const gone = aProvider({ url: `oidc.eks.us-east-1.amazonaws.com/id/${anOidcId('deleted-cluster')}` });

  it.each([
    { name: 'canonical URL', orphan: gone },
    {
      name: 'dual-stack alias URL',
      orphan: aProvider({ url: aliasUrl(REGION, anOidcId('deleted-cluster')) }),
    },
  ])(
    'LimitExceeded ... OpenIdConnectProvidersPerAccount: flags a provider without cluster ($name)',
    ({ orphan }) => {
      // Prepare
      const inventory = aHealthyInventory({ providers: [provider, orphan] });

      // Act
      const result = findings(inventory, 'provider-orphaned');

      // Assess
      expect(result).toHaveLength(1);
      expect(result[0]).toMatchObject({
        severity: 'low',
        resource: orphan.arn,
        region: REGION,
        cluster: null,
        remediation: `aws iam delete-open-id-connect-provider --open-id-connect-provider-arn ${orphan.arn}`,
      });
      expect(result[0]?.message).toContain('OpenIdConnectProvidersPerAccount');
      expect(result[0]?.evidence).toMatchObject({ rolesStillTrusting: [], regionAudited: true });
    },
  );

  it('warns, in evidence and remediation, about roles that still trust the orphan', () => {
    // Prepare
    const role = aRole({ name: 'legacy-irsa', trusts: [gone.arn] });
    const inventory = aHealthyInventory({ providers: [provider, gone], roles: [role] });

    // Act
    const [finding] = findings(inventory, 'provider-orphaned');

    // Assess
    expect(finding?.evidence).toMatchObject({ rolesStillTrusting: [role.arn], warning: expect.any(String) });
    expect(finding?.remediation.split('\n')).toEqual([
      `# roles still trust this provider; remove those statements first: ${role.arn}`,
      `aws iam delete-open-id-connect-provider --open-id-connect-provider-arn ${gone.arn}`,
    ]);
  });

  it.each([
    {
      name: 'its region was not audited',
      inventory: anInventory({
        providers: [aProvider({ url: `oidc.eks.eu-west-1.amazonaws.com/id/${anOidcId('dublin')}` })],
      }),
    },
    {
      name: "the account's providers were not read completely",
      inventory: anInventory({ accounts: [anAccount({ providersAudited: false })], providers: [gone] }),
    },
    {
      name: 'its account is not among the audited accounts',
      inventory: anInventory({ accounts: [], providers: [gone] }),
    },
    { name: 'its cluster exists', inventory: aHealthyInventory() },
    {
      name: 'it is an alias of an existing cluster',
      inventory: anInventory({ clusters: [cluster], providers: [alias, provider] }),
    },
    {
      name: 'it is not an EKS provider (GitHub Actions)',
      inventory: anInventory({ providers: [aProvider({ url: 'token.actions.githubusercontent.com' })] }),
    },
  ])('is quiet when $name', ({ inventory }) => {
    // Act
    const result = findings(inventory, 'provider-orphaned');

    // Assess
    expect(result).toEqual([]);
  });

  it('does not take a same-named cluster of another account as the owner', () => {
    // Prepare
    const other = aCluster({
      accountId: '444455556666',
      issuer: eksIssuer(REGION, anOidcId('deleted-cluster')),
    });
    const inventory = anInventory({
      accounts: [anAccount(), anAccount({ accountId: '444455556666' })],
      clusters: [other],
      providers: [gone],
    });

    // Act
    const result = findings(inventory, 'provider-orphaned');

    // Assess
    expect(result.map((finding) => finding.resource)).toEqual([gone.arn]);
  });
});
