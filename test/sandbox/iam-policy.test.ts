// The sandbox's IAM evaluation (iam-policy.ts): who a trust policy names, what a condition demands, and that an
// explicit Deny wins, each shown firing and staying quiet.
import { describe, expect, it } from 'vitest';
import {
  type CallerPrincipal,
  evaluateIdentityPolicy,
  evaluateTrustPolicy,
  type PolicyRequest,
  UnmodelledPolicyError,
} from './iam-policy.ts';

const AUDITOR = '111111111111';
const MEMBER = '222222222222';
const AUDIT_ROLE = `arn:aws:iam::${AUDITOR}:role/eks-oidc-auditor-prod-us-east-1-lambdaRole`;
const TARGET = `arn:aws:iam::${MEMBER}:role/OIDCAuditRole`;

function sessionOf(roleArn: string): CallerPrincipal {
  const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const account = roleArn.split(':')[4] ?? '';
  return { accountId: account, arn: `arn:aws:sts::${account}:assumed-role/${name}/s`, roleArn };
}

function request(
  principal: CallerPrincipal,
  context: PolicyRequest['context'] = {},
  resource = TARGET,
): PolicyRequest {
  return { principal, action: 'sts:AssumeRole', resource, context };
}

function trust(...statements: Record<string, unknown>[]) {
  return { Version: '2012-10-17', Statement: statements };
}

const allow = (aws: unknown, fields: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Principal: { AWS: aws },
  Action: 'sts:AssumeRole',
  ...fields,
});

describe('trust policies', () => {
  it.each([
    ['the role ARN of the session', AUDIT_ROLE, 'arn'],
    ['a list holding it', ['arn:aws:iam::999999999999:role/x', AUDIT_ROLE], 'arn'],
    ['the account id', AUDITOR, 'account'],
    ['the account root', `arn:aws:iam::${AUDITOR}:root`, 'account'],
    ['anyone', '*', 'account'],
  ])('admit a caller named by %s', (_, aws, match) => {
    // Act
    const verdict = evaluateTrustPolicy(trust(allow(aws)), request(sessionOf(AUDIT_ROLE)));

    // Assess
    expect(verdict).toEqual({ verdict: 'allow', match });
  });

  it.each([
    [
      'another role of the same account',
      `arn:aws:iam::${AUDITOR}:role/eks-oidc-auditor-prod-FanOutShardRole-1A2B`,
    ],
    ['another account', '999999999999'],
    ['a service', undefined],
  ])('stay quiet for a caller they do not name: %s', (_, aws) => {
    // Prepare
    const policy = trust(
      aws === undefined
        ? { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }
        : allow(aws),
    );

    // Act
    const verdict = evaluateTrustPolicy(policy, request(sessionOf(AUDIT_ROLE)));

    // Assess
    expect(verdict).toEqual({ verdict: 'none' });
  });

  it('let an explicit Deny win over an Allow', () => {
    // Prepare
    const policy = trust(allow(AUDITOR), { ...allow(AUDIT_ROLE), Effect: 'Deny' });

    // Act
    const verdict = evaluateTrustPolicy(policy, request(sessionOf(AUDIT_ROLE)));

    // Assess
    expect(verdict).toEqual({ verdict: 'deny' });
  });

  it('require the ExternalId a StringEquals condition names', () => {
    // Prepare
    const policy = trust(allow(AUDIT_ROLE, { Condition: { StringEquals: { 'sts:ExternalId': 'ext-1' } } }));
    const caller = sessionOf(AUDIT_ROLE);

    // Act
    const right = evaluateTrustPolicy(policy, request(caller, { 'sts:externalid': 'ext-1' }));
    const wrong = evaluateTrustPolicy(policy, request(caller, { 'sts:ExternalId': 'ext-2' }));
    const missing = evaluateTrustPolicy(policy, request(caller));

    // Assess
    expect([right.verdict, wrong.verdict, missing.verdict]).toEqual(['allow', 'none', 'none']);
  });

  it('read aws:PrincipalOrgID and aws:PrincipalArn, a negated operator holding when the key is absent', () => {
    // Prepare
    const policy = trust(
      allow('*', {
        Condition: {
          StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' },
          ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${AUDITOR}:role/eks-oidc-auditor-*` },
        },
      }),
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'sts:AssumeRole',
        Condition: { StringNotEquals: { 'aws:SourceIdentity': 'ops' } },
      },
    );
    const caller = sessionOf(AUDIT_ROLE);
    const inOrg = { 'aws:PrincipalOrgID': 'o-abcdefghij', 'aws:PrincipalArn': AUDIT_ROLE };

    // Act
    const allowOnly = trust(policy.Statement[0] ?? {});
    const admitted = evaluateTrustPolicy(allowOnly, request(caller, inOrg));
    const outside = evaluateTrustPolicy(
      allowOnly,
      request(caller, { ...inOrg, 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' }),
    );
    const denied = evaluateTrustPolicy(policy, request(caller, inOrg));
    const spared = evaluateTrustPolicy(policy, request(caller, { ...inOrg, 'aws:SourceIdentity': 'ops' }));

    // Assess
    expect(admitted.verdict).toBe('allow');
    expect(outside.verdict).toBe('none');
    expect(denied.verdict).toBe('deny');
    expect(spared.verdict).toBe('allow');
  });

  it('refuse to guess an operator the sandbox does not model', () => {
    // Prepare
    const policy = trust(allow(AUDIT_ROLE, { Condition: { DateGreaterThan: { 'aws:CurrentTime': 'x' } } }));

    // Act
    const evaluate = () => evaluateTrustPolicy(policy, request(sessionOf(AUDIT_ROLE)));

    // Assess
    expect(evaluate).toThrow(UnmodelledPolicyError);
    expect(evaluate).toThrow('DateGreaterThan');
  });
});

describe('identity policies', () => {
  const assumeInOrg = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Resource: 'arn:aws:iam::*:role/OIDCAuditRole',
        Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-abcdefghij' } },
      },
    ],
  };

  it('allow the member role of an account of the organization, nothing else', () => {
    // Prepare
    const caller = sessionOf(AUDIT_ROLE);
    const inOrg = { 'aws:ResourceOrgID': 'o-abcdefghij' };

    // Act
    const member = evaluateIdentityPolicy(assumeInOrg, request(caller, inOrg));
    const foreign = evaluateIdentityPolicy(
      assumeInOrg,
      request(caller, { 'aws:ResourceOrgID': 'o-zzzzzzzzzz' }),
    );
    const standalone = evaluateIdentityPolicy(assumeInOrg, request(caller));
    const other = evaluateIdentityPolicy(
      assumeInOrg,
      request(caller, inOrg, `arn:aws:iam::${MEMBER}:role/Admin`),
    );

    // Assess
    expect([member, foreign, standalone, other]).toEqual(['allow', 'none', 'none', 'none']);
  });

  it('let a Deny with NotResource or an action wildcard win', () => {
    // Prepare
    const policy = {
      Statement: [
        ...assumeInOrg.Statement,
        { Effect: 'Deny', Action: 'sts:*', NotResource: 'arn:aws:iam::333333333333:role/*' },
      ],
    };

    // Act
    const verdict = evaluateIdentityPolicy(
      policy,
      request(sessionOf(AUDIT_ROLE), { 'aws:ResourceOrgID': 'o-abcdefghij' }),
    );

    // Assess
    expect(verdict).toBe('deny');
  });
});
