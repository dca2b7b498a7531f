import { describe, expect, it } from 'vitest';
import {
  coversAction,
  matchesFederatedCaller,
  parseTrustPolicy,
  type Statement,
  statementKey,
  statementLabel,
  type TrustPolicy,
} from '../../../src/facts/trust/policy.ts';
import { providerArnFor } from '../../support/inventory.ts';
import { aStatement, aTrustPolicy, GITHUB_URL } from '../../support/trust.ts';

const PROVIDER = providerArnFor(GITHUB_URL);
const OTHER = providerArnFor('gitlab.com');

function parsed(document: unknown): TrustPolicy {
  const result = parseTrustPolicy(document);
  if (!result.ok) throw new Error(result.error);
  return result.policy;
}

function onlyStatement(document: unknown): Statement {
  const [statement] = parsed(document).statements;
  if (!statement) throw new Error('no statement');
  return statement;
}

describe('parseTrustPolicy', () => {
  it('normalises a single Statement object to a list', () => {
    // Prepare
    const document = { Version: '2012-10-17', Statement: aStatement(PROVIDER, { sid: 'Irsa' }) };

    // Act
    const policy = parsed(document);

    // Assess
    expect(policy.version).toBe('2012-10-17');
    expect(policy.statements).toHaveLength(1);
    expect(policy.statements[0]).toMatchObject({
      index: 0,
      sid: 'Irsa',
      effect: 'Allow',
      principal: { kind: 'map', entries: { Federated: [PROVIDER] } },
      action: ['sts:AssumeRoleWithWebIdentity'],
      notAction: undefined,
    });
  });

  it.each([
    { name: 'a JSON string', document: JSON.stringify(aTrustPolicy(aStatement(PROVIDER))) },
    {
      name: 'URL-encoded JSON, as IAM returns it',
      document: encodeURIComponent(JSON.stringify(aTrustPolicy(aStatement(PROVIDER)))),
    },
    { name: 'an object', document: aTrustPolicy(aStatement(PROVIDER)) },
  ])('reads $name', ({ document }) => {
    // Prepare
    const input: unknown = document;

    // Act
    const result = parseTrustPolicy(input);

    // Assess
    expect(result).toMatchObject({ ok: true, policy: { statements: [{ effect: 'Allow' }] } });
  });

  it.each([
    { name: 'Principal "*"', principal: '*', expected: { kind: 'any' } },
    {
      name: 'a Federated list',
      principal: { Federated: [PROVIDER, OTHER] },
      expected: { kind: 'map', entries: { Federated: [PROVIDER, OTHER] } },
    },
    {
      name: 'AWS and Service principals',
      principal: { AWS: 'arn:aws:iam::111122223333:root', Service: ['ec2.amazonaws.com'] },
      expected: {
        kind: 'map',
        entries: { AWS: ['arn:aws:iam::111122223333:root'], Service: ['ec2.amazonaws.com'] },
      },
    },
  ])('parses $name', ({ principal, expected }) => {
    // Prepare
    const document = aTrustPolicy(aStatement(PROVIDER, { principal }));

    // Act
    const statement = onlyStatement(document);

    // Assess
    expect(statement.principal).toEqual(expected);
  });

  it.each([
    { name: 'not JSON', document: '{"Statement": [' },
    { name: 'not an object', document: [] },
    { name: 'no Statement', document: { Version: '2012-10-17' } },
    { name: 'a statement that is a string', document: { Statement: ['Allow'] } },
    { name: 'an Effect of Permit', document: aTrustPolicy({ ...aStatement(PROVIDER), Effect: 'Permit' }) },
    {
      name: 'no principal',
      document: aTrustPolicy({ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity' }),
    },
    {
      name: 'both Principal and NotPrincipal',
      document: aTrustPolicy({ ...aStatement(PROVIDER), NotPrincipal: { AWS: 'x' } }),
    },
    { name: 'no action', document: aTrustPolicy({ Effect: 'Allow', Principal: '*' }) },
    { name: 'an Action that is a number', document: aTrustPolicy({ ...aStatement(PROVIDER), Action: 7 }) },
    {
      name: 'a Condition that is a list',
      document: aTrustPolicy({ ...aStatement(PROVIDER), Condition: [{ StringEquals: {} }] }),
    },
    {
      name: 'a Principal that is a number',
      document: aTrustPolicy({ ...aStatement(PROVIDER), Principal: 1 }),
    },
  ])('returns an error value for $name', ({ document }) => {
    // Prepare
    const input: unknown = document;

    // Act
    const result = parseTrustPolicy(input);

    // Assess
    expect(result.ok).toBe(false);
  });

  it('names statements by Sid, else by position', () => {
    // Prepare
    const document = aTrustPolicy(aStatement(PROVIDER, { sid: 'GitHubDeploy' }), aStatement(PROVIDER));

    // Act
    const [first, second] = parsed(document).statements;

    // Assess
    expect(first && [statementLabel(first), statementKey(first)]).toEqual([
      'statement "GitHubDeploy"',
      'sid:GitHubDeploy',
    ]);
    expect(second && [statementLabel(second), statementKey(second)]).toEqual(['statement 2', '#1']);
  });
});

describe('coversAction', () => {
  it.each([
    { name: 'the exact action', action: 'sts:AssumeRoleWithWebIdentity', expected: true },
    { name: 'another case', action: 'STS:assumerolewithwebidentity', expected: true },
    { name: 'sts:*', action: 'sts:*', expected: true },
    { name: '*', action: '*', expected: true },
    { name: 'sts:AssumeRole*', action: 'sts:AssumeRole*', expected: true },
    { name: 'sts:AssumeRoleWith?ebIdentity', action: 'sts:AssumeRoleWith?ebIdentity', expected: true },
    { name: 'sts:AssumeRole', action: 'sts:AssumeRole', expected: false },
    { name: 'a list without it', action: ['sts:AssumeRole', 'sts:TagSession'], expected: false },
    { name: 'a list with it', action: ['sts:TagSession', 'sts:AssumeRoleWithWebIdentity'], expected: true },
  ])('Action $name', ({ action, expected }) => {
    // Prepare
    const statement = onlyStatement(aTrustPolicy(aStatement(PROVIDER, { action })));

    // Act
    const covered = coversAction(statement, 'sts:AssumeRoleWithWebIdentity');

    // Assess
    expect(covered).toBe(expected);
  });

  it.each([
    { name: 'NotAction sts:AssumeRole covers it', notAction: 'sts:AssumeRole', expected: true },
    { name: 'NotAction sts:* does not', notAction: 'sts:*', expected: false },
  ])('$name', ({ notAction, expected }) => {
    // Prepare
    const statement = onlyStatement(aTrustPolicy(aStatement(PROVIDER, { notAction })));

    // Act
    const covered = coversAction(statement, 'sts:AssumeRoleWithWebIdentity');

    // Assess
    expect(covered).toBe(expected);
  });
});

describe('matchesFederatedCaller', () => {
  const isProvider = (value: string) => value === PROVIDER;

  it.each([
    { name: 'Federated names it', options: { federated: PROVIDER }, expected: true },
    { name: 'Federated lists it', options: { federated: [OTHER, PROVIDER] }, expected: true },
    { name: 'Federated names another provider', options: { federated: OTHER }, expected: false },
    { name: 'Principal "*"', options: { principal: '*' }, expected: true },
    {
      name: 'AWS "*" (undocumented for web identity)',
      options: { principal: { AWS: '*' } },
      expected: 'unknown',
    },
    {
      name: 'an AWS account only',
      options: { principal: { AWS: 'arn:aws:iam::111122223333:root' } },
      expected: false,
    },
    { name: 'NotPrincipal naming it', options: { notPrincipal: { Federated: PROVIDER } }, expected: false },
    { name: 'NotPrincipal naming another', options: { notPrincipal: { Federated: OTHER } }, expected: true },
  ])('$name', ({ options, expected }) => {
    // Prepare
    const statement = onlyStatement(aTrustPolicy(aStatement(PROVIDER, options)));

    // Act
    const match = matchesFederatedCaller(statement, isProvider);

    // Assess
    expect(match).toBe(expected);
  });
});
