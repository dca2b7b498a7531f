import { describe, expect, it } from 'vitest';
import { checkAudiences } from '../../src/checks/audiences.ts';
import { checkProviders } from '../../src/checks/providers.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import type { Inventory, OidcProvider } from '../../src/model/inventory.ts';
import {
  ACCOUNT_ID,
  aCluster,
  aContext,
  aHealthyInventory,
  aliasUrl,
  anAccount,
  anInventory,
  anIssuerProbe,
  anOidcId,
  aProbeError,
  aProvider,
  aRole,
  eksIssuer,
  providerArnFor,
  REGION,
  withoutScheme,
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

/** The issuer probe of a provider's URL: its discovery document read, or the error it answered. */
function issuerOf(orphan: OidcProvider, code?: string) {
  const issuer = `https://${orphan.url}`;
  return code === undefined
    ? anIssuerProbe({ issuer })
    : anIssuerProbe({ issuer, error: aProbeError({ stage: 'discovery', code, message: code }) });
}

describe('provider-orphaned', () => {
  const gone = aProvider({ url: `oidc.eks.us-east-1.amazonaws.com/id/${anOidcId('deleted-cluster')}` });
  const aliasGone = aProvider({ url: aliasUrl(REGION, anOidcId('deleted-cluster')) });

  it.each([
    { name: 'canonical URL, issuer answers 404', orphan: gone, code: 'HTTP_404' },
    { name: 'dual-stack alias URL, issuer answers 404', orphan: aliasGone, code: 'HTTP_404' },
    { name: 'canonical URL, issuer answers 403', orphan: gone, code: 'HTTP_403' },
  ])(
    'LimitExceeded ... OpenIdConnectProvidersPerAccount: flags a provider without cluster ($name)',
    ({ orphan, code }) => {
      // Prepare
      const inventory = aHealthyInventory({
        providers: [provider, orphan],
        issuers: [issuerOf(orphan, code)],
      });

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
      expect(result[0]?.evidence).toMatchObject({
        rolesStillTrusting: [],
        regionAudited: true,
        issuerAnswered: code,
      });
    },
  );

  it('warns, in evidence and remediation, about roles that still trust the orphan', () => {
    // Prepare
    const role = aRole({ name: 'legacy-irsa', trusts: [gone.arn] });
    const inventory = aHealthyInventory({
      providers: [provider, gone],
      roles: [role],
      issuers: [issuerOf(gone, 'HTTP_404')],
    });

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
      inventory: anInventory({
        accounts: [anAccount({ providersAudited: false })],
        providers: [gone],
        issuers: [issuerOf(gone, 'HTTP_404')],
      }),
    },
    {
      name: 'its account is not among the audited accounts',
      inventory: anInventory({ accounts: [], providers: [gone], issuers: [issuerOf(gone, 'HTTP_404')] }),
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
    {
      name: 'its cluster is in another audited account (cross-account IRSA)',
      inventory: anInventory({
        accounts: [anAccount(), anAccount({ accountId: '444455556666' })],
        clusters: [
          aCluster({ accountId: '444455556666', issuer: eksIssuer(REGION, anOidcId('deleted-cluster')) }),
        ],
        providers: [gone],
        issuers: [issuerOf(gone)],
      }),
    },
    {
      name: 'its issuer still answers (provider-external)',
      inventory: anInventory({ providers: [gone], issuers: [issuerOf(gone)] }),
    },
    {
      name: 'its issuer could not be read (no proof)',
      inventory: anInventory({ providers: [gone], issuers: [issuerOf(gone, 'ETIMEDOUT')] }),
    },
  ])('is quiet when $name', ({ inventory }) => {
    // Act
    const result = findings(inventory, 'provider-orphaned');

    // Assess
    expect(result).toEqual([]);
  });

  it('names the owning account and cluster of a cross-account provider in its other findings', () => {
    // Prepare: the provider lacks sts.amazonaws.com; its cluster lives in another audited account
    const owner = aCluster({
      name: 'payments',
      accountId: '444455556666',
      issuer: eksIssuer(REGION, anOidcId('x')),
    });
    const crossAccount = aProvider({ url: withoutScheme(owner.issuer ?? ''), clientIds: [] });
    const inventory = anInventory({
      accounts: [anAccount(), anAccount({ accountId: '444455556666' })],
      clusters: [owner],
      providers: [crossAccount],
    });

    // Act
    const result = checkAudiences(deriveFacts(inventory), aContext());

    // Assess
    expect(result).toEqual([expect.objectContaining({ check: 'audience-missing', cluster: 'payments' })]);
  });
});

describe('provider-external', () => {
  const elsewhere = aProvider({ url: `oidc.eks.us-east-1.amazonaws.com/id/${anOidcId('outside')}` });

  it('is info, with no delete command, when the issuer of a provider no audited cluster serves still answers', () => {
    // Prepare
    const inventory = anInventory({ providers: [elsewhere], issuers: [issuerOf(elsewhere)] });

    // Act
    const result = findings(inventory, 'provider-external');

    // Assess
    expect(result).toEqual([
      expect.objectContaining({ severity: 'info', resource: elsewhere.arn, region: REGION }),
    ]);
    expect(result[0]?.remediation).not.toContain('delete-open-id-connect-provider');
    expect(result[0]?.evidence).toMatchObject({ issuerAnswered: true, accountsAudited: [ACCOUNT_ID] });
  });

  it.each([
    { name: 'the issuer answers 404 (provider-orphaned)', code: 'HTTP_404' },
    { name: 'the issuer could not be read', code: 'ECONNREFUSED' },
  ])('is quiet when $name', ({ code }) => {
    // Prepare
    const inventory = anInventory({ providers: [elsewhere], issuers: [issuerOf(elsewhere, code)] });

    // Act
    const result = findings(inventory, 'provider-external');

    // Assess
    expect(result).toEqual([]);
  });

  it.each([
    { name: 'could not be read (ETIMEDOUT)', issuers: [issuerOf(elsewhere, 'ETIMEDOUT')], code: 'ETIMEDOUT' },
    { name: 'was not probed (out of time)', issuers: [], code: 'NOT_PROBED' },
  ])('names the missing proof as an audit error when the issuer $name', ({ issuers, code }) => {
    // Prepare
    const inventory = anInventory({ providers: [elsewhere], issuers });

    // Act
    const result = findings(inventory, 'audit-error');

    // Assess
    expect(result).toEqual([
      expect.objectContaining({
        severity: 'medium',
        resource: elsewhere.arn,
        evidence: expect.objectContaining({ found: { stage: 'orphan proof', code } }),
      }),
    ]);
    expect(result[0]?.remediation).not.toContain('delete-open-id-connect-provider');
  });
});
