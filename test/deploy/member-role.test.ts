// The member-account role (deploy/member-role.yaml): who may assume it, on what condition, and that it grants
// exactly the reads the auditor makes in a member account, nothing more.
import { describe, expect, it } from 'vitest';
import { DEFAULTS, externalId, roleName } from '../../src/config/schema.ts';
import { MEMBER_READS } from '../support/audit-reads.ts';
import { allowedBy, deployTemplate } from './support/cloudformation.ts';

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
}
const template = deployTemplate('member-role.yaml');
const resources = Object.values(template.Resources);
const role = resources[0]?.Properties as {
  RoleName: unknown;
  AssumeRolePolicyDocument: { Statement: Statement[] };
  Policies: { PolicyDocument: { Statement: Statement[] } }[];
  ManagedPolicyArns?: unknown;
};
const permissions = role.Policies.flatMap((policy) => policy.PolicyDocument.Statement);
const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
const matches = (parameter: string, value: string) => allowedBy(template, parameter, value);

describe('deploy/member-role.yaml', () => {
  it('creates one IAM role, named by a parameter that defaults to the auditor default', () => {
    // Prepare: the parsed template

    // Act
    const types = resources.map((resource) => resource.Type);

    // Assess
    expect(types).toEqual(['AWS::IAM::Role']);
    expect(role.RoleName).toEqual({ Ref: 'RoleName' });
    expect(template.Parameters?.RoleName?.Default).toBe(DEFAULTS.roleName);
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  it('lets only the auditor roles named assume it, and only with the ExternalId', () => {
    // Prepare
    const trust = role.AssumeRolePolicyDocument.Statement;

    // Act
    const [statement] = trust;

    // Assess
    expect(trust).toHaveLength(1);
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Split': [',', { Ref: 'AuditorRoleArn' }] } },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
    });
    expect(Object.keys(statement?.Condition as object)).toEqual(['StringEquals']);
    expect(template.Parameters?.AuditorRoleArn?.Default).toBeUndefined();
    expect(template.Parameters?.ExternalId?.Default).toBeUndefined();
  });

  it('grants exactly the read actions the auditor calls in a member account, each read-only', () => {
    // Prepare
    const readOnly = /^[a-z0-9-]+:(List|Get|Describe)[A-Za-z]+$/;

    // Act
    const actions = permissions.flatMap(actionsOf);

    // Assess
    expect([...actions].sort()).toEqual(MEMBER_READS);
    expect(actions.filter((action) => !readOnly.test(action))).toEqual([]);
    expect(permissions.map((statement) => statement.Effect)).toEqual(permissions.map(() => 'Allow'));
    expect(permissions.every((statement) => statement.Condition === undefined)).toBe(true);
  });

  it('scopes the per-resource reads to the account they run in', () => {
    // Prepare
    const resourceOf = (action: string) =>
      permissions.find((statement) => actionsOf(statement).includes(action))?.Resource;

    // Act
    const describeCluster = resourceOf('eks:DescribeCluster');
    const getProvider = resourceOf('iam:GetOpenIDConnectProvider');

    // Assess
    expect(describeCluster).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:eks:*:${AWS::AccountId}:cluster/*' });
    expect(getProvider).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/*',
    });
  });

  it('takes the same role names and ExternalIds as the auditor, and only roles as the trusted principals', () => {
    // Prepare
    const names = ['OIDCAuditRole', 'audit.role@x', 'a'.repeat(64), 'bad name', 'a'.repeat(65)];
    const ids = ['ext-123', 'a:b/c=d', 'x', 'has space'];

    // Act
    const nameVerdicts = names.map((name) => matches('RoleName', name));
    const idVerdicts = ids.map((id) => matches('ExternalId', id) && id.length >= 2);

    // Assess
    expect(nameVerdicts).toEqual(names.map((name) => roleName.safeParse(name).success));
    expect(idVerdicts).toEqual(ids.map((id) => externalId.safeParse(id).success));
    expect(matches('AuditorRoleArn', 'arn:aws:iam::111111111111:role/eks-oidc-auditor-prod')).toBe(true);
    expect(
      matches(
        'AuditorRoleArn',
        'arn:aws:iam::111111111111:role/a-lambdaRole,arn:aws:iam::111111111111:role/a-shard',
      ),
    ).toBe(true);
    expect(
      matches('AuditorRoleArn', 'arn:aws:iam::111111111111:role/a, arn:aws:iam::111111111111:role/b'),
    ).toBe(false);
    expect(matches('AuditorRoleArn', 'arn:aws:iam::111111111111:role/a,')).toBe(false);
    expect(matches('AuditorRoleArn', 'arn:aws-us-gov:iam::111111111111:role/path/auditor')).toBe(true);
    expect(matches('AuditorRoleArn', 'arn:aws:iam::111111111111:user/alice')).toBe(false);
    expect(matches('AuditorRoleArn', 'arn:aws:iam::111111111111:root')).toBe(false);
  });
});
