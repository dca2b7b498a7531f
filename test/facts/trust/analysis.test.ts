import { describe, expect, it } from 'vitest';
import { buildLookup } from '../../../src/facts/lookup.ts';
import {
  analyseRole,
  isClaimKey,
  issuerPrefixOfKey,
  type ProviderTrust,
  trustAdmits,
} from '../../../src/facts/trust/analysis.ts';
import type { Inventory } from '../../../src/model/inventory.ts';
import { anAccount, providerArnFor } from '../../support/inventory.ts';
import {
  aRoleTrusting,
  aStatement,
  aTrustPolicy,
  aWorld,
  CI_URLS,
  type Json,
  subKey,
  urlOf,
  withRole,
} from '../../support/trust.ts';

const world = aWorld();
const { prod, staging, legacy, github, gitlab } = world.arns;

function trustOf(policy: Json, inventory: Inventory = world.inventory) {
  const role = aRoleTrusting(policy);
  return analyseRole(role, buildLookup(withRole(inventory, role)));
}

function providerTrust(policy: Json, arn: string, inventory?: Inventory): ProviderTrust {
  const found = trustOf(policy, inventory).providers.find((provider) => provider.provider.arn === arn);
  if (!found) throw new Error(`no analysis for ${arn}`);
  return found;
}

describe('who can assume through an EKS provider', () => {
  it.each([
    {
      name: 'the recommended shape: one service account',
      options: {},
      breadth: 'exact',
      subjects: ['default:app'],
    },
    {
      name: 'a subject list',
      options: { sub: ['system:serviceaccount:a:x', 'system:serviceaccount:b:y'] },
      breadth: 'exact',
      subjects: ['a:x', 'b:y'],
    },
    { name: 'no sub condition', options: { sub: null }, breadth: 'any', subjects: ['*:*'] },
    {
      name: 'StringLike system:serviceaccount:*',
      options: { sub: 'system:serviceaccount:*', subOperator: 'StringLike' },
      breadth: 'any',
      subjects: ['*:*'],
    },
    {
      name: 'StringLike *',
      options: { sub: '*', subOperator: 'StringLike' },
      breadth: 'any',
      subjects: ['*:*'],
    },
    {
      name: 'a namespace wildcard',
      options: { sub: 'system:serviceaccount:ci:*', subOperator: 'StringLike' },
      breadth: 'scope-wide',
      subjects: ['ci:*'],
    },
    {
      name: 'a service account name prefix',
      options: { sub: 'system:serviceaccount:ci:runner-*', subOperator: 'StringLike' },
      breadth: 'scope-wide',
      subjects: ['ci:runner-*'],
    },
    {
      name: 'any namespace, service account default',
      options: { sub: 'system:serviceaccount:*:default', subOperator: 'StringLike' },
      breadth: 'cross-scope',
      subjects: ['*:default'],
    },
    {
      name: 'the *:default shorthand',
      options: { sub: '*:default', subOperator: 'StringLike' },
      breadth: 'cross-scope',
      subjects: ['*:default'],
    },
    {
      name: 'a namespace prefix',
      options: { sub: 'system:serviceaccount:team-*:app', subOperator: 'StringLike' },
      breadth: 'cross-scope',
      subjects: ['team-*:app'],
    },
    {
      name: 'a namespace suffix with any service account',
      options: { sub: 'system:serviceaccount:*-prod:*', subOperator: 'StringLike' },
      breadth: 'cross-scope',
      subjects: ['*-prod:*'],
    },
    {
      name: 'StringLike without a wildcard',
      options: { sub: 'system:serviceaccount:ns:sa', subOperator: 'StringLike' },
      breadth: 'exact',
      subjects: ['ns:sa'],
    },
    {
      name: 'StringEquals with a star (literal: nobody)',
      options: { sub: 'system:serviceaccount:*' },
      breadth: 'none',
      subjects: [],
    },
    {
      name: 'a stray space (nobody)',
      options: { sub: 'system:serviceaccount: kube-system:aws-node' },
      breadth: 'none',
      subjects: [],
    },
    {
      name: 'StringEqualsIgnoreCase in capitals',
      options: { sub: 'SYSTEM:SERVICEACCOUNT:NS:SA', subOperator: 'StringEqualsIgnoreCase' },
      breadth: 'exact',
      subjects: ['ns:sa'],
    },
    {
      name: 'StringEqualsIfExists (sub is always present)',
      options: { sub: 'system:serviceaccount:ns:sa', subOperator: 'StringEqualsIfExists' },
      breadth: 'exact',
      subjects: ['ns:sa'],
    },
    {
      name: 'StringNotEquals alone (everyone but one)',
      options: { sub: 'system:serviceaccount:ns:sa', subOperator: 'StringNotEquals' },
      breadth: 'any',
      subjects: ['*:*'],
    },
    {
      name: 'ForAllValues:StringEquals (sub is present: acts as StringEquals)',
      options: { sub: 'system:serviceaccount:ns:sa', subOperator: 'ForAllValues:StringEquals' },
      breadth: 'exact',
      subjects: ['ns:sa'],
    },
  ])('$name', ({ options, breadth, subjects }) => {
    // Prepare
    const policy = aTrustPolicy(aStatement(prod, options));

    // Act
    const trust = providerTrust(policy, prod);

    // Assess
    expect(trust.access.breadth).toBe(breadth);
    expect(trust.access.subjects.map((subject) => subject.pattern)).toEqual(subjects);
  });

  it.each([
    {
      name: 'a Deny StringNotEquals narrows a wildcard to one service account',
      deny: { sub: 'system:serviceaccount:ns:sa', subOperator: 'StringNotEquals' },
      breadth: 'exact',
      subjects: ['ns:sa'],
    },
    {
      name: 'a Deny StringNotLike narrows it to a namespace',
      deny: { sub: 'system:serviceaccount:ns:*', subOperator: 'StringNotLike' },
      breadth: 'scope-wide',
      subjects: ['ns:*'],
    },
    {
      name: 'a Deny of one namespace leaves the rest open',
      deny: { sub: 'system:serviceaccount:kube-system:*', subOperator: 'StringLike' },
      breadth: 'any',
      subjects: ['*:*'],
    },
    {
      name: 'a Deny on a key of another issuer never applies',
      deny: { condition: { StringNotEquals: { [subKey(staging)]: 'system:serviceaccount:ns:sa' } } },
      breadth: 'none',
      subjects: [],
    },
    {
      name: 'a Deny whose condition depends on an unknown key is not relied on',
      deny: {
        condition: {
          StringNotEquals: { [subKey(prod)]: 'system:serviceaccount:ns:sa' },
          Bool: { 'aws:SecureTransport': 'false' },
        },
      },
      breadth: 'any',
      subjects: ['*:*'],
    },
  ])('$name', ({ deny, breadth, subjects }) => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, { sub: 'system:serviceaccount:*', subOperator: 'StringLike' }),
      aStatement(prod, { effect: 'Deny', aud: null, ...deny }),
    );

    // Act
    const trust = providerTrust(policy, prod);

    // Assess
    expect(trust.access.breadth).toBe(breadth);
    expect(trust.access.subjects.map((subject) => subject.pattern)).toEqual(subjects);
  });

  it('keeps what the Allow alone would admit, to tell a Deny-narrowed grant apart', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, { sub: 'system:serviceaccount:*', subOperator: 'StringLike' }),
      aStatement(prod, {
        effect: 'Deny',
        sub: 'system:serviceaccount:ns:sa',
        subOperator: 'StringNotEquals',
        aud: null,
      }),
    );

    // Act
    const [grant] = providerTrust(policy, prod).grants;

    // Assess
    expect(grant?.withoutDeny.breadth).toBe('any');
    expect(grant?.access.breadth).toBe('exact');
  });

  it('reads condition keys in any case', () => {
    // Prepare
    const key = subKey(prod).toUpperCase();
    const policy = aTrustPolicy(
      aStatement(prod, { condition: { StringEquals: { [key]: 'system:serviceaccount:ns:sa' } } }),
    );

    // Act
    const trust = providerTrust(policy, prod);

    // Assess
    expect(trust.access.subjects.map((subject) => subject.pattern)).toEqual(['ns:sa']);
  });

  it('lets nobody in when a statement ANDs the keys of two providers', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, {
        federated: [prod, staging],
        condition: {
          StringEquals: {
            [subKey(prod)]: 'system:serviceaccount:ns:sa',
            [subKey(staging)]: 'system:serviceaccount:ns:sa',
          },
        },
      }),
    );

    // Act
    const trust = trustOf(policy);

    // Assess
    expect(trust.providers.map((provider) => [provider.provider.arn, provider.access.breadth])).toEqual([
      [prod, 'none'],
      [staging, 'none'],
    ]);
  });

  it('lets any service account in when ForAllValues tests a key the token never carries', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, {
        condition: { 'ForAllValues:StringEquals': { [subKey(staging)]: 'system:serviceaccount:ns:sa' } },
      }),
    );

    // Act
    const trust = providerTrust(policy, prod);

    // Assess
    expect(trust.access.breadth).toBe('any');
  });
});

describe('audiences', () => {
  it.each([
    {
      name: 'aud = sts.amazonaws.com',
      aud: 'sts.amazonaws.com',
      open: false,
      audiences: ['sts.amazonaws.com'],
    },
    { name: 'no aud condition', aud: null, open: true, audiences: ['sts.amazonaws.com'] },
  ])('$name', ({ aud, open, audiences }) => {
    // Prepare
    const policy = aTrustPolicy(aStatement(prod, { aud }));

    // Act
    const [grant] = providerTrust(policy, prod).grants;

    // Assess
    expect(grant?.audienceOpen).toBe(open);
    expect(grant?.audiences).toEqual(audiences);
  });

  it('lets nobody in when aud names a value the provider does not accept', () => {
    // Prepare
    const policy = aTrustPolicy(aStatement(prod, { aud: 'sts.amazonaws.com.cn' }));

    // Act
    const trust = providerTrust(policy, prod);

    // Assess
    expect(trust.access.breadth).toBe('none');
  });

  it('assumes any audience may be accepted when the provider was not read', () => {
    // Prepare
    const unaudited = {
      ...world.inventory,
      accounts: [anAccount({ providersAudited: false })],
      providers: [],
    };
    const policy = aTrustPolicy(aStatement(prod, { aud: 'custom-audience' }));

    // Act
    const trust = providerTrust(policy, prod, unaudited);

    // Assess
    expect(trust.provider.status).toBe('unverified');
    expect(trust.access.breadth).toBe('exact');
    expect(trust.grants[0]?.audiences).toBeUndefined();
  });
});

describe('GitHub and GitLab subjects', () => {
  it.each([
    {
      name: 'one branch of one repository',
      provider: github,
      sub: 'repo:org/app:ref:refs/heads/main',
      operator: 'StringEquals',
      aud: 'sts.amazonaws.com',
      breadth: 'exact',
    },
    {
      name: 'any ref of one repository',
      provider: github,
      sub: 'repo:org/app:*',
      operator: 'StringLike',
      aud: 'sts.amazonaws.com',
      breadth: 'exact',
    },
    {
      name: 'every repository of an owner',
      provider: github,
      sub: 'repo:org/*',
      operator: 'StringLike',
      aud: 'sts.amazonaws.com',
      breadth: 'scope-wide',
    },
    {
      name: 'one repository name under any owner',
      provider: github,
      sub: 'repo:*/infra:*',
      operator: 'StringLike',
      aud: 'sts.amazonaws.com',
      breadth: 'cross-scope',
    },
    {
      name: 'repo:*',
      provider: github,
      sub: 'repo:*',
      operator: 'StringLike',
      aud: 'sts.amazonaws.com',
      breadth: 'any',
    },
    {
      name: 'one branch of one repository, immutable form (owner and repository ids)',
      provider: github,
      sub: 'repo:acme@1001/app@2002:ref:refs/heads/main',
      operator: 'StringEquals',
      aud: 'sts.amazonaws.com',
      breadth: 'exact',
    },
    {
      name: 'one owner and repository name, any ids: the same one repository as without ids',
      provider: github,
      sub: 'repo:acme@*/app@*:*',
      operator: 'StringLike',
      aud: 'sts.amazonaws.com',
      breadth: 'exact',
    },
    {
      name: 'every repository of an owner by id',
      provider: github,
      sub: 'repo:acme@1001/*',
      operator: 'StringLike',
      aud: 'sts.amazonaws.com',
      breadth: 'scope-wide',
    },
    {
      name: 'every repository of the owner so named, any owner id',
      provider: github,
      sub: 'repo:acme@*',
      operator: 'StringLike',
      aud: 'sts.amazonaws.com',
      breadth: 'scope-wide',
    },
    {
      name: 'owners whose name starts with acme, in either form',
      provider: github,
      sub: 'repo:acme*',
      operator: 'StringLike',
      aud: 'sts.amazonaws.com',
      breadth: 'cross-scope',
    },
    {
      name: 'one repository name under any owner, immutable form',
      provider: github,
      sub: 'repo:*@*/app@*:*',
      operator: 'StringLike',
      aud: 'sts.amazonaws.com',
      breadth: 'cross-scope',
    },
    {
      name: 'no sub',
      provider: github,
      sub: null,
      operator: 'StringEquals',
      aud: 'sts.amazonaws.com',
      breadth: 'any',
    },
    {
      name: 'a GitLab project branch',
      provider: gitlab,
      sub: 'project_path:grp/app:ref_type:branch:ref:main',
      operator: 'StringEquals',
      aud: 'https://gitlab.com',
      breadth: 'exact',
    },
    {
      name: 'a GitLab group',
      provider: gitlab,
      sub: 'project_path:grp/*',
      operator: 'StringLike',
      aud: 'https://gitlab.com',
      breadth: 'scope-wide',
    },
    {
      name: 'any GitLab project',
      provider: gitlab,
      sub: null,
      operator: 'StringEquals',
      aud: 'https://gitlab.com',
      breadth: 'any',
    },
  ])('$name: $breadth', ({ provider, sub, operator, aud, breadth }) => {
    // Prepare
    const policy = aTrustPolicy(aStatement(provider, { sub, subOperator: operator, aud }));

    // Act
    const trust = providerTrust(policy, provider);

    // Assess
    expect(trust.access.breadth).toBe(breadth);
  });
});

describe('which providers a role is analysed for', () => {
  it('analyses every provider of the account for Principal "*"', () => {
    // Prepare
    const policy = aTrustPolicy(aStatement(prod, { principal: '*', sub: null, aud: null }));

    // Act
    const trust = trustOf(policy);

    // Assess
    expect(trust.providers.map((provider) => [provider.provider.arn, provider.access.breadth])).toEqual([
      [prod, 'any'],
      [staging, 'any'],
      [legacy, 'any'],
      [github, 'any'],
      [gitlab, 'any'],
      ...Object.values(CI_URLS).map((url) => [providerArnFor(url), 'any']),
    ]);
  });

  it('confines Principal "*" to the issuer its conditions name', () => {
    // Prepare
    const policy = aTrustPolicy(aStatement(prod, { principal: '*' }));

    // Act
    const trust = trustOf(policy);

    // Assess
    expect(
      trust.providers.filter((provider) => provider.access.breadth !== 'none').map((p) => p.provider.arn),
    ).toEqual([prod]);
    expect(trust.providers.find((provider) => provider.provider.arn === prod)?.grants[0]?.relation).toBe(
      'wildcard',
    );
  });

  it('treats an Allow with NotPrincipal as letting in every provider it does not name', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, { notPrincipal: { Federated: staging }, sub: null, aud: null }),
    );

    // Act
    const trust = trustOf(policy);

    // Assess
    expect(providerBreadth(trust.providers, prod)).toBe('any');
    expect(providerBreadth(trust.providers, staging)).toBe('none');
  });

  it('ignores Federated principals that are not OIDC providers', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, { federated: 'arn:aws:iam::111122223333:saml-provider/Okta', sub: null, aud: null }),
    );

    // Act
    const trust = trustOf(policy);

    // Assess
    expect(trust.providers).toEqual([]);
  });

  it.each([
    { value: 'acme/app', operator: 'StringEquals', breadth: 'exact', patterns: ['repo:acme/app:*'] },
    { value: 'acme/*', operator: 'StringLike', breadth: 'scope-wide', patterns: ['repo:acme/*:*'] },
  ])(
    "reads GitHub's repository key ($operator $value) as the subject's owner and repository",
    ({ value, operator, breadth, patterns }) => {
      // Prepare
      const key = `${urlOf(github)}:repository`;
      const policy = aTrustPolicy(
        aStatement(github, {
          condition: { [operator]: { [key]: value, [`${urlOf(github)}:aud`]: 'sts.amazonaws.com' } },
        }),
      );

      // Act
      const trust = providerTrust(policy, github);

      // Assess
      expect(trust.access.breadth).toBe(breadth);
      expect(trust.access.subjects.map((subject) => subject.pattern)).toEqual(
        expect.arrayContaining(patterns),
      );
    },
  );

  it.each([
    { claim: 'repository_id', operator: 'StringEquals', value: '892341771', breadth: 'exact' },
    { claim: 'repository_id', operator: 'StringLike', value: '89*', breadth: 'any' },
    {
      claim: 'job_workflow_ref',
      operator: 'StringEquals',
      value: 'acme/ci/.github/workflows/d.yml@v1',
      breadth: 'exact',
    },
    { claim: 'job_workflow_ref', operator: 'StringLike', value: 'acme/ci/*', breadth: 'exact' },
    {
      claim: 'job_workflow_ref',
      operator: 'StringLike',
      value: 'acme/*/.github/workflows/d.yml@*',
      breadth: 'scope-wide',
    },
    {
      claim: 'job_workflow_ref',
      operator: 'StringLike',
      value: '*/ci/.github/workflows/d.yml@*',
      breadth: 'any',
    },
    { claim: 'environment', operator: 'StringEquals', value: 'prod', breadth: 'any' },
    { claim: 'ref', operator: 'StringEquals', value: 'refs/heads/main', breadth: 'any' },
  ])(
    "reads GitHub's $claim key ($operator $value) as naming repositories only where it names one",
    ({ claim, operator, value, breadth }) => {
      // Prepare
      const policy = aTrustPolicy(
        aStatement(github, {
          condition: {
            StringEquals: { [`${urlOf(github)}:aud`]: 'sts.amazonaws.com' },
            [operator]: { [`${urlOf(github)}:${claim}`]: value },
          },
        }),
      );

      // Act
      const trust = providerTrust(policy, github);

      // Assess
      expect(trust.access.breadth).toBe(breadth);
    },
  );

  it('reads a repository_id key beside repository = <owner>/* as one repository of that owner', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(github, {
        condition: {
          StringEquals: {
            [`${urlOf(github)}:aud`]: 'sts.amazonaws.com',
            [`${urlOf(github)}:repository_id`]: '74',
          },
          StringLike: { [`${urlOf(github)}:repository`]: 'acme/*' },
        },
      }),
    );

    // Act
    const trust = providerTrust(policy, github);

    // Assess: the id names one repository, which the auditor can only place under the owner the policy names.
    expect(trust.access.breadth).toBe('exact');
    expect(trust.access.subjects.map((subject) => subject.scope?.text)).toEqual(
      expect.arrayContaining(['acme']),
    );
  });

  it('reads a repository_id key beside an immutable sub with its ids left open as that one repository', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(github, {
        condition: {
          StringEquals: {
            [`${urlOf(github)}:aud`]: 'sts.amazonaws.com',
            [`${urlOf(github)}:repository_id`]: '2002',
          },
          StringLike: { [`${urlOf(github)}:sub`]: 'repo:acme@*/app@*:*' },
        },
      }),
    );

    // Act
    const trust = providerTrust(policy, github);

    // Assess: the ids after named owner and repository pick no other repository, so the id may be this one's
    expect(trust.access.breadth).toBe('exact');
  });

  it('lets a CircleCI wildcard in the organization part widen nothing: the issuer URL names it', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(world.arns.circleci, {
        sub: 'org/*/project/p-1/user/*',
        subOperator: 'StringLike',
        aud: null,
      }),
    );

    // Act
    const trust = providerTrust(policy, world.arns.circleci);

    // Assess
    expect(trust.access.breadth).toBe('exact');
  });

  it.each([
    { sub: '{6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d}:*', breadth: 'exact' },
    {
      sub: '{6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d}{9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b}:*',
      breadth: 'exact',
    },
    { sub: '{6a5b*', breadth: 'scope-wide' },
    { sub: '*', breadth: 'any' },
  ])('reads Bitbucket subject $sub as $breadth: a repository is the workload', ({ sub, breadth }) => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(world.arns.bitbucket, { sub, subOperator: 'StringLike', aud: null }),
    );

    // Act
    const trust = providerTrust(policy, world.arns.bitbucket);

    // Assess
    expect(trust.access.breadth).toBe(breadth);
  });

  it('analyses a provider built into STS, named by its bare host, as present in every account', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, { federated: 'cognito-identity.amazonaws.com', sub: null, aud: null }),
    );

    // Act
    const trust = trustOf(policy);

    // Assess
    expect(trust.providers.map((provider) => [provider.provider.kind, provider.provider.status])).toEqual([
      ['cognito', 'ok'],
    ]);
    expect(trust.providers[0]?.grants[0]?.audienceOpen).toBe(true);
    expect(trust.providers[0]?.grants[0]?.guestOpen).toBe(true);
  });

  it('reports why a policy could not be analysed', () => {
    // Prepare
    const role = { ...aRoleTrusting(undefined), trustPolicyError: 'URIError: URI malformed' };

    // Act
    const trust = analyseRole(role, buildLookup(withRole(world.inventory, role)));

    // Assess
    expect(trust).toMatchObject({ policy: undefined, error: 'URIError: URI malformed', providers: [] });
  });
});

describe('provider status', () => {
  it.each([
    { name: 'registered, cluster present', arn: prod, status: 'ok' },
    { name: 'registered, cluster deleted', arn: legacy, status: 'cluster-gone' },
    { name: 'not registered', arn: providerArnFor(`${urlOf(prod)}0`), status: 'missing' },
    { name: 'in another account', arn: providerArnFor(urlOf(prod), '999988887777'), status: 'other-account' },
    { name: 'in another partition', arn: prod.replace('arn:aws:', 'arn:aws-cn:'), status: 'wrong-partition' },
    {
      name: 'under the dual-stack alias',
      arn: providerArnFor(
        urlOf(prod).replace('oidc.eks.us-east-1.amazonaws.com', 'oidc-eks.us-east-1.api.aws'),
      ),
      status: 'missing',
    },
  ])('$name: $status', ({ arn, status }) => {
    // Prepare
    const policy = aTrustPolicy(aStatement(arn));

    // Act
    const trust = providerTrust(policy, arn);

    // Assess
    expect(trust.provider.status).toBe(status);
  });
});

describe('trustAdmits: does one token get in', () => {
  function admits(policy: Json, arn: string, subject: string): boolean {
    const trust = trustOf(policy);
    const provider = trust.providers.find((candidate) => candidate.provider.arn === arn);
    if (!provider) throw new Error(`no analysis for ${arn}`);
    return trustAdmits(trust, provider, subject, 'unknown');
  }

  it('keeps out the subject a Deny names and lets the others of the Allow in', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, { sub: 'system:serviceaccount:team:*', subOperator: 'StringLike' }),
      aStatement(prod, { effect: 'Deny', sub: 'system:serviceaccount:team:ci', aud: null }),
    );

    // Act
    const denied = admits(policy, prod, 'system:serviceaccount:team:ci');
    const allowed = admits(policy, prod, 'system:serviceaccount:team:app');

    // Assess
    expect(denied).toBe(false);
    expect(allowed).toBe(true);
  });

  it("fills GitHub's repository key in from the subject, as the analysis does", () => {
    // Prepare: a trust scoped by the repository key alone
    const policy = aTrustPolicy(
      aStatement(github, {
        condition: {
          StringEquals: {
            [`${urlOf(github)}:aud`]: 'sts.amazonaws.com',
            [`${urlOf(github)}:repository`]: 'acme/app',
          },
        },
      }),
    );

    // Act
    const own = admits(policy, github, 'repo:acme/app:ref:refs/heads/main');
    const other = admits(policy, github, 'repo:evil/app:ref:refs/heads/main');

    // Assess
    expect(own).toBe(true);
    expect(other).toBe(false);
  });
});

describe('issuerPrefixOfKey', () => {
  it.each([
    {
      key: 'oidc.eks.us-east-1.amazonaws.com/id/ABC:sub',
      expected: 'oidc.eks.us-east-1.amazonaws.com/id/abc',
    },
    { key: 'token.actions.githubusercontent.com:sub', expected: 'token.actions.githubusercontent.com' },
    {
      key: 'https://oidc.eks.us-east-1.amazonaws.com/id/ABC:sub',
      expected: 'https://oidc.eks.us-east-1.amazonaws.com/id/abc',
    },
    { key: 'aws:SourceIp', expected: undefined },
    { key: 'aws:RequestTag/kubernetes.io/cluster:x', expected: undefined },
    { key: 'sts:RoleSessionName', expected: undefined },
  ])('$key', ({ key, expected }) => {
    // Prepare
    const input = key;

    // Act
    const prefix = issuerPrefixOfKey(input);

    // Assess
    expect(prefix).toBe(expected);
  });
});

describe('isClaimKey', () => {
  const provider = { keyPrefix: 'oidc.eks.us-east-1.amazonaws.com/id/abc' };
  it.each([
    { key: 'oidc.eks.us-east-1.amazonaws.com/id/abc:sub', claim: 'sub', expected: true },
    { key: 'oidc.eks.us-east-1.amazonaws.com/id/abc:aud', claim: 'aud', expected: true },
    { key: 'oidc.eks.us-east-1.amazonaws.com/id/abc:aud', claim: 'sub', expected: false },
    { key: 'oidc.eks.us-east-1.amazonaws.com/id/abc:subx', claim: 'sub', expected: false },
    { key: 'oidc.eks.us-east-1.amazonaws.com/id/abcd:sub', claim: 'sub', expected: false },
    { key: 'oidc.eks.us-east-1.amazonaws.com/id/ab:csub', claim: 'sub', expected: false },
    { key: 'oidc.eks.us-west-2.amazonaws.com/id/abc:sub', claim: 'sub', expected: false },
    { key: 'oidc.eks.us-east-1.amazonaws.com/id/abc/sub', claim: 'sub', expected: false },
  ])('$key as its $claim: $expected', ({ key, claim, expected }) => {
    // Act
    const matches = isClaimKey(key, provider, claim);

    // Assess
    expect(matches).toBe(expected);
  });
});

function providerBreadth(providers: readonly ProviderTrust[], arn: string): string | undefined {
  return providers.find((provider) => provider.provider.arn === arn)?.access.breadth;
}
