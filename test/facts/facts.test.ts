import { describe, expect, it } from 'vitest';
import { checkTrustPolicies } from '../../src/checks/trust.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import { parseTrustPolicy, type TrustPolicy } from '../../src/facts/trust/policy.ts';
import type { Role } from '../../src/model/inventory.ts';
import { issuerMatchKey, parseIssuerUrl } from '../../src/naming/issuer-url.ts';
import {
  ACCOUNT_ID,
  aCluster,
  aContext,
  anAccount,
  anInventory,
  aProvider,
  aRole,
} from '../support/inventory.ts';
import { recordingPool } from '../support/pools.ts';

const SERVICE_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

function anIrsaWorld() {
  const cluster = aCluster();
  const provider = aProvider({ cluster });
  const irsa = aRole({ name: 'app', trusts: [provider.arn] });
  const service = aRole({ name: 'lambda-exec', trustPolicy: SERVICE_TRUST });
  const unreadable = { ...aRole({ name: 'broken' }), trustPolicy: undefined, trustPolicyError: 'URIError' };
  const inventory = anInventory({
    accounts: [anAccount()],
    clusters: [cluster],
    providers: [provider],
    roles: [irsa, service, unreadable],
  });
  return { cluster, provider, irsa, service, unreadable, inventory };
}

/** The role's trust policy parsed on its own, sharing nothing with another's. */
function parsedPolicy(role: Role): TrustPolicy | undefined {
  const parsed = parseTrustPolicy(role.trustPolicy);
  return parsed.ok ? parsed.policy : undefined;
}

describe('deriveFacts', () => {
  it('keeps the analyses of roles an OIDC provider reaches, and of unreadable policies, in inventory order', () => {
    // Prepare
    const { inventory, irsa, unreadable } = anIrsaWorld();

    // Act
    const facts = deriveFacts(inventory);

    // Assess: the Lambda execution role trusts no provider, so no check or report reads its analysis
    expect(facts.trusts.map((trust) => trust.role.name)).toEqual([irsa.name, unreadable.name]);
    expect(facts.trusts[1]).toMatchObject({ policy: undefined, error: 'URIError' });
  });

  it('indexes the roles that rely on an issuer from their Allow statements only', () => {
    // Prepare: a Deny naming the provider is a guard, no sign that pods use IRSA with this issuer
    const { inventory, provider, irsa } = anIrsaWorld();
    const guard = aRole({
      name: 'guard',
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Deny', Principal: { Federated: provider.arn }, Action: 'sts:AssumeRoleWithWebIdentity' },
        ],
      },
    });

    // Act
    const { lookup } = deriveFacts({ ...inventory, roles: [...inventory.roles, guard] });

    // Assess
    expect(lookup.rolesNaming(ACCOUNT_ID, provider.arn)).toEqual([irsa]);
    expect(lookup.rolesTrusting(ACCOUNT_ID, issuerMatchKey(provider.url) ?? '')).toEqual([irsa]);
  });

  it('answers a key of the index holding one item and one holding several alike, as lists of them', () => {
    // Prepare: two roles trust the provider, a third names a provider of another cluster
    const { inventory, provider, irsa } = anIrsaWorld();
    const other = aProvider({ cluster: aCluster({ name: 'other' }) });
    const second = aRole({ name: 'second', trusts: [provider.arn] });
    const third = aRole({ name: 'third', trusts: [other.arn] });

    // Act
    const { lookup } = deriveFacts({
      ...inventory,
      providers: [provider, other],
      roles: [...inventory.roles, second, third],
    });

    // Assess
    expect(lookup.rolesNaming(ACCOUNT_ID, provider.arn)).toEqual([irsa, second]);
    expect(lookup.rolesNaming(ACCOUNT_ID, other.arn)).toEqual([third]);
    expect(lookup.rolesNaming(ACCOUNT_ID, 'arn:aws:iam::111111111111:oidc-provider/none')).toEqual([]);
    expect(lookup.rolesTrusting(ACCOUNT_ID, issuerMatchKey(other.url) ?? '')).toEqual([third]);
    expect(lookup.providersOf(ACCOUNT_ID)).toEqual([provider, other]);
  });

  it("shares what roles' trust policies repeat: a value written alone, the action, the operator", () => {
    // Prepare: two roles trusting the same provider, with the same audience and action written alone
    const { inventory, provider, irsa } = anIrsaWorld();
    const second = aRole({ name: 'second', trusts: [provider.arn] });

    // Act
    const { trusts } = deriveFacts({ ...inventory, roles: [irsa, second] });

    // Assess: one list and one operator for both, and each policy parsed as when parsed on its own
    const [first, next] = trusts.map((trust) => trust.policy?.statements[0]);
    const audience = (statement: typeof first) =>
      statement?.condition.entries.find((e) => e.key.endsWith(':aud'));
    expect(next?.action).toBe(first?.action);
    expect(audience(next)?.values).toBe(audience(first)?.values);
    expect(audience(next)?.parsed).toBe(audience(first)?.parsed);
    expect(trusts[1]?.policy).toEqual(parsedPolicy(second));
  });

  it('maps each cluster to the roles its service accounts can assume', () => {
    // Prepare
    const { inventory, cluster, irsa } = anIrsaWorld();

    // Act
    const { assumableRoles } = deriveFacts(inventory);

    // Assess
    expect(assumableRoles).toEqual([
      expect.objectContaining({
        clusterArn: cluster.arn,
        roles: [expect.objectContaining({ roleArn: irsa.arn })],
      }),
    ]);
  });

  it('is what the trust checks read: they do not analyse the roles again', () => {
    // Prepare
    const { inventory } = anIrsaWorld();
    const facts = deriveFacts(inventory);

    // Act
    const withAnalyses = checkTrustPolicies(facts, aContext());
    const withoutAnalyses = checkTrustPolicies({ ...facts, trusts: [] }, aContext());

    // Assess: the unreadable policy is named from its analysis; with no analyses, nothing is
    expect(withAnalyses.map((finding) => finding.check)).toContain('audit-error');
    expect(withoutAnalyses).toEqual([]);
  });

  it('parses each issuer URL once, whichever form names it, and shares the parse with the trust analyses', () => {
    // Prepare
    const { inventory, cluster, provider } = anIrsaWorld();

    // Act
    const facts = deriveFacts(inventory);

    // Assess: the cluster's https:// form, the provider's form, and the provider as the policy names it
    const fromCluster = facts.lookup.issuerUrl(cluster.issuer ?? '');
    expect(fromCluster).toEqual(parseIssuerUrl(cluster.issuer ?? ''));
    expect(facts.lookup.issuerUrl(provider.url)).toBe(fromCluster);
    expect(facts.trusts[0]?.providers[0]?.provider.issuer).toBe(fromCluster);
  });
});

describe('issuer URLs, classified by the issuer table', () => {
  it.each([
    ['https://token.actions.githubusercontent.com', 'github'],
    ['gitlab.com', 'gitlab'],
    ['https://gitlab.example.com/', 'gitlab-self-managed'],
    ['git.example.com', 'other'],
    ['app.terraform.io', 'terraform-cloud'],
    ['oidc.circleci.com/org/8f2d3b6e-1c4a-4e7b-9a0d-5b6c7d8e9f01', 'circleci'],
    ['oidc.circleci.com', 'other'],
    ['api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc', 'bitbucket'],
    ['agent.buildkite.com', 'buildkite'],
    ['accounts.google.com', 'google'],
    ['cognito-identity.amazonaws.com', 'cognito'],
    ['oidc.eks.us-east-1.amazonaws.com/id/D6E4A9B6646C62FC48BAA6DD6150D1F7', 'eks'],
  ])('%s is %s', (url, kind) => {
    // Act
    const parsed = parseIssuerUrl(url);

    // Assess
    expect(parsed?.kind).toBe(kind);
  });
});

describe('issuer URLs and a pool of texts', () => {
  it('hand the pool the host and the region, and parse as without it', () => {
    // Prepare
    const { pool, handed } = recordingPool();
    const url = 'https://OIDC.eks.eu-west-1.amazonaws.com/id/D6E4A9B6646C62FC48BAA6DD6150D1F7/';

    // Act
    const parsed = parseIssuerUrl(url, pool);

    // Assess
    expect(parsed).toEqual(parseIssuerUrl(url));
    expect(parsed?.key).toBe('oidc.eks.eu-west-1.amazonaws.com/id/D6E4A9B6646C62FC48BAA6DD6150D1F7');
    expect(handed).toEqual(['oidc.eks.eu-west-1.amazonaws.com', 'eu-west-1']);
  });
});
