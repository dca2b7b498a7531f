// Whoever may invoke the function must not be able to turn it on an account of their own, nor forge what the
// alert topic tells the security team. Asserted on the packaged template, with the organization's id set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackagedService, packageService } from '../support/service.ts';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}
type Template = { Resources: Record<string, Resource>; Conditions: Record<string, unknown> };

const ORG_ID = 'o-a1b2c3d4e5';
let withOrg: PackagedService;
let standalone: PackagedService;

beforeAll(async () => {
  // Act: the stack as deployed for an organization, and with the default params
  [withOrg, standalone] = await Promise.all([packageService([`organizationId=${ORG_ID}`]), packageService()]);
}, 300_000);
afterAll(() => {
  withOrg?.remove();
  standalone?.remove();
});

const templateOf = (packaged: PackagedService) => packaged.template as Template;

function roleStatement(packaged: PackagedService, sid: string): Statement {
  const role = Object.values(templateOf(packaged).Resources).find((r) => r.Type === 'AWS::IAM::Role');
  const policies = (role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  const found = policies.flatMap((p) => p.PolicyDocument.Statement).find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
}

/** Fn::Not / Fn::Equals over literals, as CloudFormation evaluates a condition. */
function evaluate(condition: unknown): boolean {
  const c = condition as Record<string, unknown[]>;
  if (c['Fn::Not']) return !evaluate(c['Fn::Not'][0]);
  if (c['Fn::Equals']) return c['Fn::Equals'][0] === c['Fn::Equals'][1];
  throw new Error(`cannot evaluate ${JSON.stringify(condition)}`);
}

/** The statement's Condition once CloudFormation has resolved its Fn::If. */
function effectiveCondition(packaged: PackagedService, statement: Statement): unknown {
  const ifs = (statement.Condition as { 'Fn::If'?: [string, unknown, unknown] })['Fn::If'];
  if (!ifs) return statement.Condition;
  const [name, then, otherwise] = ifs;
  const chosen = evaluate(templateOf(packaged).Conditions[name]) ? then : otherwise;
  return JSON.stringify(chosen) === JSON.stringify({ Ref: 'AWS::NoValue' }) ? undefined : chosen;
}

describe('the confused deputy, closed in the template', () => {
  it('allows sts:AssumeRole only into roles of the organization when organizationId is set', () => {
    // Act
    const assume = roleStatement(withOrg, 'AssumeMemberAuditRole');

    // Assess
    expect(effectiveCondition(withOrg, assume)).toEqual({ StringEquals: { 'aws:ResourceOrgID': ORG_ID } });
  });

  it('leaves a standalone stack (no organizationId) without the condition, and valid', () => {
    // Act
    const assume = roleStatement(standalone, 'AssumeMemberAuditRole');

    // Assess
    expect(effectiveCondition(standalone, assume)).toBeUndefined();
  });

  it('lets only the auditor role and this account alarms publish to the alert topic', () => {
    // Act
    const policy = templateOf(withOrg).Resources.AlertTopicPolicy;
    const document = policy?.Properties.PolicyDocument as { Statement: Statement[] } | undefined;
    const statements = document?.Statement ?? [];
    const bySid = new Map(statements.map((s) => [s.Sid, s]));

    // Assess
    expect(policy?.Type).toBe('AWS::SNS::TopicPolicy');
    expect(policy?.Properties.Topics).toEqual([{ Ref: 'AlertTopic' }]);
    expect(bySid.get('AuditorPublishes')).toMatchObject({
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'] } },
      Action: 'sns:Publish',
    });
    expect(bySid.get('AlarmsOfThisAccountPublish')).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(bySid.get('NobodyElsePublishes')).toEqual({
      Sid: 'NobodyElsePublishes',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: { Ref: 'AlertTopic' },
      Condition: {
        StringNotEqualsIfExists: {
          'aws:PrincipalArn': { 'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'] },
          'aws:PrincipalServiceName': 'cloudwatch.amazonaws.com',
        },
      },
    });
  });

  it("grants CloudWatch the topic key only for this account's alarms", () => {
    // Act
    const key = templateOf(withOrg).Resources.AlertKey?.Properties.KeyPolicy as { Statement: Statement[] };
    const grant = key.Statement.find((s) => s.Sid === 'CloudWatchAlarmsPublishToTheTopic');

    // Assess
    expect(grant?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: {
        'aws:SourceArn': {
          'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*',
        },
      },
    });
  });
});
