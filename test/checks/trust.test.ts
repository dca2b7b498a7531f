import { describe, expect, it } from 'vitest';
import { checkTrustPolicies } from '../../src/checks/trust.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import type { Finding } from '../../src/model/finding.ts';
import type { Inventory } from '../../src/model/inventory.ts';
import {
  ACCOUNT_ID,
  aContext,
  aHealthyInventory,
  anAccount,
  anIssuerProbe,
  providerArnFor,
  REGION,
} from '../support/inventory.ts';
import {
  aRoleTrusting,
  aStatement,
  aTrustPolicy,
  audKey,
  aWorld,
  type Json,
  subKey,
  urlOf,
  withRole,
} from '../support/trust.ts';

const world = aWorld();
const { prod, staging, legacy, github, gitlab } = world.arns;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/app-irsa`;
const ACCESS_DENIED = 'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity';

function findingsFor(policy: Json, inventory: Inventory = world.inventory): Finding[] {
  return checkTrustPolicies(deriveFacts(withRole(inventory, aRoleTrusting(policy))), aContext());
}

function only(findings: Finding[], check: string): Finding[] {
  return findings.filter((finding) => finding.check === check);
}

describe('the recommended shape', () => {
  it.each([
    { name: 'the healthy inventory', inventory: aHealthyInventory() },
    {
      name: 'a role with one IRSA statement',
      inventory: withRole(world.inventory, aRoleTrusting(aTrustPolicy(aStatement(prod)))),
    },
  ])('yields no finding at all: $name', ({ inventory }) => {
    // Prepare
    const context = aContext();

    // Act
    const findings = checkTrustPolicies(deriveFacts(inventory), context);

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('trust-no-sub', () => {
  it('fires, critical, on an EKS statement without sub', () => {
    // Prepare
    const policy = aTrustPolicy(aStatement(prod, { sid: 'Irsa', sub: null }));

    // Act
    const [finding, ...rest] = only(findingsFor(policy), 'trust-no-sub');

    // Assess
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'critical',
      accountId: ACCOUNT_ID,
      region: REGION,
      resource: ROLE_ARN,
      cluster: 'prod',
    });
    expect(finding?.message).toContain('statement "Irsa"');
    expect(finding?.message).toContain('any service account of cluster prod');
    expect(JSON.parse(finding?.remediation.slice(finding.remediation.indexOf('{')) ?? '')).toEqual({
      Condition: {
        StringEquals: {
          [subKey(prod)]: 'system:serviceaccount:<namespace>:<serviceaccount>',
          [audKey(prod)]: 'sts.amazonaws.com',
        },
      },
    });
  });

  it.each([
    {
      name: 'GitHub without sub',
      provider: github,
      aud: 'sts.amazonaws.com',
      who: 'any GitHub Actions workflow',
      names: 'repositories',
    },
    {
      name: 'GitLab without sub',
      provider: gitlab,
      aud: 'https://gitlab.com',
      who: 'any GitLab CI job',
      names: 'projects',
    },
  ])('fires on $name', ({ provider, aud, who, names }) => {
    // Prepare
    const policy = aTrustPolicy(aStatement(provider, { sub: null, aud }));

    // Act
    const [finding] = only(findingsFor(policy), 'trust-no-sub');

    // Assess
    expect(finding).toMatchObject({ severity: 'critical', region: null, cluster: null });
    expect(finding?.message).toContain(who);
    expect(finding?.evidence.expected).toBe(`${subKey(provider)} restricted to named ${names}`);
  });

  it.each([
    { name: 'a sub condition', options: {} },
    { name: 'a Deny that narrows the grant', options: { sub: null }, deny: true },
    {
      name: 'a provider that does not exist (dead statement)',
      options: { sub: null },
      arn: providerArnFor(`${urlOf(prod)}0`),
    },
  ])('stays quiet with $name', ({ options, deny, arn }) => {
    // Prepare
    const provider = arn ?? prod;
    const statements = [aStatement(provider, options)];
    if (deny) {
      statements.push(
        aStatement(provider, {
          effect: 'Deny',
          sub: 'system:serviceaccount:ns:sa',
          subOperator: 'StringNotEquals',
          aud: null,
        }),
      );
    }

    // Act
    const findings = only(findingsFor(aTrustPolicy(...statements)), 'trust-no-sub');

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('trust-wildcard-sub', () => {
  it.each([
    {
      name: 'system:serviceaccount:*',
      provider: prod,
      sub: 'system:serviceaccount:*',
      severity: 'high',
      pattern: '"*:*"',
      names: 'service accounts',
    },
    { name: '*', provider: prod, sub: '*', severity: 'high', pattern: '"*:*"', names: 'service accounts' },
    {
      name: '*:default',
      provider: prod,
      sub: 'system:serviceaccount:*:default',
      severity: 'high',
      pattern: '"*:default"',
      names: 'service accounts',
    },
    {
      name: 'a namespace',
      provider: prod,
      sub: 'system:serviceaccount:ci:*',
      severity: 'medium',
      pattern: 'namespace ci',
      names: 'service accounts',
    },
    {
      name: 'a GitHub owner',
      provider: github,
      sub: 'repo:org/*',
      severity: 'high',
      pattern: 'owner org',
      names: 'repositories',
    },
    {
      name: 'any GitHub repository',
      provider: github,
      sub: 'repo:*',
      severity: 'critical',
      pattern: 'any GitHub Actions workflow',
      names: 'repositories',
    },
  ])('$name: $severity', ({ provider, sub, severity, pattern, names }) => {
    // Prepare
    const policy = aTrustPolicy(aStatement(provider, { sub, subOperator: 'StringLike' }));

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['trust-wildcard-sub', severity],
    ]);
    expect(findings[0]?.message).toContain(pattern);
    expect(findings[0]?.message).toContain(`StringLike ${subKey(provider)} "${sub}"`);
    expect(findings[0]?.evidence.expected).toBe(`exact ${names}`);
  });

  it('proposes the named namespace in the remediation', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, { sub: 'system:serviceaccount:ci:*', subOperator: 'StringLike' }),
    );

    // Act
    const [finding] = findingsFor(policy);

    // Assess
    expect(finding?.remediation).toContain(`"${subKey(prod)}":"system:serviceaccount:ci:<serviceaccount>"`);
  });

  it('says when Deny statements narrowed the grant', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, { sub: null }),
      aStatement(prod, {
        effect: 'Deny',
        sub: 'system:serviceaccount:ci:*',
        subOperator: 'StringNotLike',
        aud: null,
      }),
    );

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['trust-wildcard-sub', 'medium'],
    ]);
    expect(findings[0]?.message).toContain('narrowed by the Deny statements');
  });

  it('stays quiet on StringLike without a wildcard', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, { sub: 'system:serviceaccount:ns:sa', subOperator: 'StringLike' }),
    );

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('trust-set-operator', () => {
  it.each([
    { operator: 'ForAllValues:StringEquals', key: 'sub', severity: 'high' },
    { operator: 'ForAnyValue:StringEquals', key: 'sub', severity: 'medium' },
    { operator: 'ForAllValues:StringLike', key: 'aud', severity: 'high' },
  ])('$operator on $key: $severity', ({ operator, key, severity }) => {
    // Prepare
    const options = key === 'sub' ? { subOperator: operator } : { audOperator: operator };
    const policy = aTrustPolicy(aStatement(prod, options));

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['trust-set-operator', severity],
    ]);
    expect(findings[0]?.remediation).toContain(`{"Condition":{"${operator.split(':')[1]}":`);
  });

  it('stays quiet on set operators over other keys', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, {
        condition: {
          StringEquals: {
            [subKey(prod)]: 'system:serviceaccount:ns:sa',
            [audKey(prod)]: 'sts.amazonaws.com',
          },
          'ForAllValues:StringEquals': { 'sts:TransitiveTagKeys': 'team' },
        },
      }),
    );

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('trust-wrong-action', () => {
  it.each([
    { name: 'sts:AssumeRole', action: 'sts:AssumeRole' },
    { name: 'sts:AssumeRoleWithSAML', action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'] },
  ])('fires, medium, on $name', ({ action }) => {
    // Prepare
    const policy = aTrustPolicy(aStatement(prod, { action }));

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['trust-wrong-action', 'medium'],
    ]);
    expect(findings[0]?.message).toContain(ACCESS_DENIED);
    expect(findings[0]?.remediation).toContain('"Action": "sts:AssumeRoleWithWebIdentity"');
  });

  it('is low when another statement grants the web identity call', () => {
    // Prepare
    const policy = aTrustPolicy(aStatement(prod), aStatement(prod, { action: 'sts:AssumeRole' }));

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['trust-wrong-action', 'low'],
    ]);
  });

  it.each([
    { name: 'sts:*', options: { action: 'sts:*' } },
    { name: 'sts:AssumeRole*', options: { action: 'sts:AssumeRole*' } },
    { name: 'a lower-case action', options: { action: 'sts:assumerolewithwebidentity' } },
    { name: 'NotAction sts:AssumeRole', options: { notAction: 'sts:AssumeRole' } },
  ])('stays quiet on $name', ({ options }) => {
    // Prepare
    const policy = aTrustPolicy(aStatement(prod, options));

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings).toEqual([]);
  });

  it('stays quiet on a companion sts:TagSession statement', () => {
    // Prepare
    const policy = aTrustPolicy(aStatement(prod), aStatement(prod, { action: 'sts:TagSession' }));

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('trust-unknown-provider', () => {
  it.each([
    {
      name: 'a wrong provider ID',
      arn: providerArnFor(`${urlOf(prod)}0`),
      text: 'InvalidIdentityToken: No OpenIDConnect provider found in your account for https://',
    },
    {
      name: 'another account',
      arn: providerArnFor(urlOf(prod), '999988887777'),
      text: "the role's own account",
    },
    { name: 'another partition', arn: prod.replace('arn:aws:', 'arn:aws-cn:'), text: 'partition "aws-cn"' },
    { name: 'a deleted cluster', arn: legacy, text: 'the cluster is gone' },
  ])('fires, medium, on $name', ({ arn, text }) => {
    // Prepare
    const policy = aTrustPolicy(aStatement(arn));

    // Act
    const findings = only(findingsFor(policy), 'trust-unknown-provider');

    // Assess
    expect(findings.map((finding) => finding.severity)).toEqual(['medium']);
    expect(findings[0]?.message).toContain(text);
  });

  it("stays quiet on a provider no audited cluster serves whose issuer still answers: the cluster is another account's", () => {
    // Prepare
    const external = {
      ...world.inventory,
      issuers: [...world.inventory.issuers, anIssuerProbe({ issuer: `https://${urlOf(legacy)}` })],
    };
    const policy = aTrustPolicy(aStatement(legacy));

    // Act
    const findings = only(findingsFor(policy, external), 'trust-unknown-provider');

    // Assess
    expect(findings).toEqual([]);
  });

  it('stays quiet when the account\u2019s providers were not audited', () => {
    // Prepare
    const unaudited = {
      ...world.inventory,
      accounts: [anAccount({ providersAudited: false })],
      providers: [],
    };
    const policy = aTrustPolicy(aStatement(prod));

    // Act
    const findings = findingsFor(policy, unaudited);

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('trust-key-mismatch', () => {
  it('fires, medium, on a key of another cluster, with the never-matches symptom', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, {
        condition: {
          StringEquals: {
            [subKey(staging)]: 'system:serviceaccount:ns:sa',
            [audKey(prod)]: 'sts.amazonaws.com',
          },
        },
      }),
    );

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['trust-key-mismatch', 'medium'],
    ]);
    expect(findings[0]?.message).toContain(ACCESS_DENIED);
    expect(findings[0]?.remediation).toContain(`"${subKey(prod)}":"system:serviceaccount:ns:sa"`);
  });

  it('reports the bypass as trust-no-sub when the mismatched key is under a negated operator', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, {
        condition: {
          StringNotEquals: { [subKey(staging)]: 'system:serviceaccount:ns:sa' },
          StringEquals: { [audKey(prod)]: 'sts.amazonaws.com' },
        },
      }),
    );

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity]).sort()).toEqual([
      ['trust-key-mismatch', 'medium'],
      ['trust-no-sub', 'critical'],
    ]);
  });

  it('hints at a key written with https://', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, {
        condition: {
          StringEquals: {
            [`https://${subKey(prod)}`]: 'system:serviceaccount:ns:sa',
            [audKey(prod)]: 'sts.amazonaws.com',
          },
        },
      }),
    );

    // Act
    const [finding] = only(findingsFor(policy), 'trust-key-mismatch');

    // Assess
    expect(finding?.message).toContain('drop the https:// scheme');
  });

  it('stays quiet on IfExists keys of providers named in the same statement', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, {
        federated: [prod, staging],
        condition: {
          StringEqualsIfExists: {
            [subKey(prod)]: 'system:serviceaccount:ns:sa',
            [subKey(staging)]: 'system:serviceaccount:ns:sa',
          },
          StringEquals: { [audKey(prod)]: 'sts.amazonaws.com' },
        },
      }),
    );

    // Act
    const findings = only(findingsFor(policy), 'trust-key-mismatch');

    // Assess
    expect(findings.map((finding) => finding.message)).toEqual([
      expect.stringContaining(`"${audKey(prod)}" is for issuer`),
    ]);
  });
});

describe('trust-malformed-sub', () => {
  it.each([
    {
      name: 'a stray space',
      sub: 'system:serviceaccount: kube-system:aws-node',
      reason: 'whitespace',
      corrected: 'system:serviceaccount:kube-system:aws-node',
    },
    {
      name: 'a misspelt prefix',
      sub: 'system:serviceacount:ns:sa',
      reason: 'misspelt',
      corrected: 'system:serviceaccount:ns:sa',
    },
    {
      name: 'a plural prefix',
      sub: 'system:serviceaccounts:ns:sa',
      reason: 'misspelt',
      corrected: 'system:serviceaccount:ns:sa',
    },
    {
      name: 'a missing part',
      sub: 'system:serviceaccount:sa',
      reason: '3 colon-separated parts',
      corrected: undefined,
    },
    {
      name: 'a star under StringEquals',
      sub: 'system:serviceaccount:ns:*',
      reason: 'compares it literally',
      corrected: undefined,
    },
    {
      name: 'an upper-case namespace',
      sub: 'system:serviceaccount:Payments:api',
      reason: 'not a valid Kubernetes namespace',
      corrected: 'system:serviceaccount:payments:api',
    },
  ])('fires, medium, on $name', ({ sub, reason, corrected }) => {
    // Prepare
    const policy = aTrustPolicy(aStatement(prod, { sub }));

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['trust-malformed-sub', 'medium'],
    ]);
    expect(findings[0]?.message).toContain(reason);
    expect(findings[0]?.message).toContain(ACCESS_DENIED);
    if (corrected) expect(findings[0]?.remediation).toContain(`"${corrected}"`);
  });

  it('gives each bad value of a list its own finding', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, {
        sub: ['system:serviceaccount: a:b', 'system:serviceaccount:ns:sa', 'system:serviceacount:c:d'],
      }),
    );

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings.map((finding) => finding.check)).toEqual(['trust-malformed-sub', 'trust-malformed-sub']);
    expect(new Set(findings.map((finding) => finding.id)).size).toBe(2);
  });

  it.each([
    { name: 'a wildcard under StringLike', sub: 'system:serviceaccount:ns:app-*', operator: 'StringLike' },
    {
      name: 'capitals under StringEqualsIgnoreCase',
      sub: 'System:ServiceAccount:ns:sa',
      operator: 'StringEqualsIgnoreCase',
    },
  ])('stays quiet on $name', ({ sub, operator }) => {
    // Prepare
    const policy = aTrustPolicy(aStatement(prod, { sub, subOperator: operator }));

    // Act
    const findings = only(findingsFor(policy), 'trust-malformed-sub');

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('trust-no-aud', () => {
  it('fires, low, without an aud condition', () => {
    // Prepare
    const policy = aTrustPolicy(aStatement(prod, { aud: null }));

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([['trust-no-aud', 'low']]);
    expect(findings[0]?.message).toContain('(sts.amazonaws.com)');
  });

  it('stays quiet when a Deny restricts the audience', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, { aud: null }),
      aStatement(prod, {
        effect: 'Deny',
        sub: null,
        aud: 'sts.amazonaws.com',
        audOperator: 'StringNotEquals',
      }),
    );

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('issuers of the issuer table', () => {
  const COGNITO = 'cognito-identity.amazonaws.com';
  const POOL = 'us-east-1:12345678-1234-1234-1234-123456789012';

  it('fires trust-no-aud, critical, on Google without aud, and names the key to add', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, {
        federated: 'accounts.google.com',
        condition: { StringEquals: { 'accounts.google.com:sub': '1101' } },
      }),
    );

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['trust-no-aud', 'critical'],
    ]);
    expect(findings[0]?.message).toContain('any Google account can assume the role');
    expect(findings[0]?.remediation).toContain('"accounts.google.com:aud":"<OAuth client id>"');
  });

  it('fires trust-unauthenticated, medium, on a Cognito pool trust that lets guests in', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, { federated: COGNITO, condition: { StringEquals: { [`${COGNITO}:aud`]: POOL } } }),
    );

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['trust-unauthenticated', 'medium'],
    ]);
    expect(findings[0]?.remediation).toContain(`"${COGNITO}:amr":"authenticated"`);
  });

  it('stays quiet on a Cognito pool trust requiring authenticated identities', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod, {
        federated: COGNITO,
        condition: {
          StringEquals: { [`${COGNITO}:aud`]: POOL },
          'ForAnyValue:StringLike': { [`${COGNITO}:amr`]: 'authenticated' },
        },
      }),
    );

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings).toEqual([]);
  });

  it.each([
    { name: 'HCP Terraform', arn: world.arns.terraform, severity: 'critical', reach: 'any organization' },
    { name: 'CircleCI', arn: world.arns.circleci, severity: 'high', reach: 'oidc.circleci.com/org/' },
    {
      name: 'GitLab self-managed',
      arn: world.arns.gitlabSelfManaged,
      severity: 'high',
      reach: 'gitlab.example.com',
    },
  ])('gives trust-no-sub $severity on $name, shared or not', ({ arn, severity, reach }) => {
    // Prepare
    const audience = world.inventory.providers.find((provider) => provider.arn === arn)?.clientIds[0] ?? '';
    const policy = aTrustPolicy(aStatement(arn, { sub: null, aud: audience }));

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['trust-no-sub', severity],
    ]);
    expect(findings[0]?.message).toContain(reach);
  });

  it('fills in the CircleCI organization from the issuer URL in the recommended subject', () => {
    // Prepare
    const policy = aTrustPolicy(aStatement(world.arns.circleci, { sub: null, aud: null }));

    // Act
    const findings = only(findingsFor(policy), 'trust-no-sub');

    // Assess
    expect(findings[0]?.remediation).toContain(
      `"org/${urlOf(world.arns.circleci).split('/').at(-1)}/project/<project>/user/*"`,
    );
  });

  it('recommends StringLike where the recommended subject keeps a wildcard (Buildkite commits)', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(world.arns.buildkite, { sub: 'organization:acme:pipeline:*', subOperator: 'StringLike' }),
    );

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['trust-wildcard-sub', 'high'],
    ]);
    expect(findings[0]?.remediation).toContain(
      '"StringLike":{"agent.buildkite.com:sub":"organization:acme:pipeline:<pipeline>:ref:refs/heads/main:commit:*:step:*"}',
    );
  });
});

describe('trust-multi-cluster', () => {
  it('fires, info, once per role trusting two clusters', () => {
    // Prepare
    const policy = aTrustPolicy(aStatement(prod), aStatement(staging));

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      check: 'trust-multi-cluster',
      severity: 'info',
      region: null,
      cluster: null,
      resource: ROLE_ARN,
    });
    expect(findings[0]?.message).toContain('cluster prod');
    expect(findings[0]?.message).toContain('cluster staging');
    expect(findings[0]?.message).toContain('the same subjects (default:app)');
  });

  it('stays quiet when the second trust can never match', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(prod),
      aStatement(staging, { sub: 'system:serviceaccount: default:app' }),
    );

    // Act
    const findings = only(findingsFor(policy), 'trust-multi-cluster');

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('statements that do not name the provider', () => {
  it('say how they reach it', () => {
    // Prepare
    const policy = aTrustPolicy(
      aStatement(github, {
        principal: '*',
        sub: null,
        aud: null,
        condition: { StringEquals: { [audKey(github)]: 'sts.amazonaws.com' } },
      }),
    );

    // Act
    const findings = findingsFor(policy);

    // Assess
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['trust-no-sub', 'critical'],
    ]);
    expect(findings[0]?.message).toContain('via a wildcard principal');
  });
});

describe('finding identity', () => {
  it('keeps ids distinct per statement and stable across runs', () => {
    // Prepare
    const policy = aTrustPolicy(aStatement(prod, { sub: null }), aStatement(prod, { sub: null }));

    // Act
    const first = findingsFor(policy);
    const second = findingsFor(policy);

    // Assess
    expect(first.map((finding) => finding.check)).toEqual(['trust-no-sub', 'trust-no-sub']);
    expect(new Set(first.map((finding) => finding.id)).size).toBe(2);
    expect(second.map((finding) => finding.id)).toEqual(first.map((finding) => finding.id));
  });

  it('names a role whose policy could not be read as an audit-error, never as a pass', () => {
    // Prepare
    const role = { ...aRoleTrusting(undefined), trustPolicyError: 'not JSON' };

    // Act
    const findings = checkTrustPolicies(deriveFacts(withRole(world.inventory, role)), aContext());

    // Assess
    expect(findings.map((f) => [f.check, f.resource])).toEqual([['audit-error', role.arn]]);
  });
});
