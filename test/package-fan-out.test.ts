// The fan-out in the packaged template (`serverless package`, offline): the state machine of docs/fan-out.md, its
// definition valid by the Amazon States Language, its least-privilege role, the parts bucket, its alarms, and which
// schedule runs the audit, with fanOut on; with fanOut off (the default), none of it.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_START_FLAGS, MALLOC_ENVIRONMENT, MERGE_START_FLAGS } from '../src/runtime/heap.ts';
import { type PackagedService, packageService } from './support/service.ts';
import {
  documentedAlarmCost,
  documentedAlarms,
  documentedResources,
  inWords,
  MEMBER_ROLE,
  README,
} from './support/stack-docs.ts';

// asl-validator is CommonJS with no types: one function, definition → { isValid, errors }.
const validateAsl = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errors: unknown[];
};

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
type Template = { Resources: Record<string, Resource> };

let off: PackagedService;
let on: PackagedService;

beforeAll(async () => {
  // Act: the template with fanOut off (the default) and on
  [off, on] = await Promise.all([packageService(), packageService(['fanOut=true', 'shardConcurrency=25'])]);
}, 300_000);
afterAll(() => {
  off?.remove();
  on?.remove();
});

const resources = (packaged: PackagedService) => (packaged.template as Template).Resources;

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what} in the template`);
  return value;
}
const ofType = (packaged: PackagedService, type: string) =>
  Object.entries(resources(packaged)).filter(([, r]) => r.Type === type);

/** The state machine's definition, its Fn::Sub placeholders (the functions' ARNs) filled in as CloudFormation would. */
function definition(packaged: PackagedService): Record<string, unknown> {
  const [[, machine] = []] = ofType(packaged, 'AWS::StepFunctions::StateMachine');
  const [text, values] = (
    must(machine, 'state machine').Properties.DefinitionString as {
      'Fn::Sub': [string, Record<string, unknown>];
    }
  )['Fn::Sub'];
  const filled = text.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const ref = JSON.stringify(values[name]);
    const fn = /"(\w+)LambdaFunction"/.exec(ref)?.[1] ?? name;
    return `arn:aws:lambda:us-east-1:123456789012:function:eks-oidc-auditor-dev-${fn.toLowerCase()}`;
  });
  return JSON.parse(filled) as Record<string, unknown>;
}

function scheduleOf(packaged: PackagedService, target: 'function' | 'state machine'): string {
  const rules = ofType(packaged, 'AWS::Events::Rule').filter(([id]) =>
    target === 'function' ? !id.includes('StepFunctions') : id.includes('StepFunctions'),
  );
  expect(rules).toHaveLength(1);
  return rules[0]?.[1].Properties.State as string;
}

describe('the packaged fan-out', () => {
  it('defines a state machine valid by the Amazon States Language: plan, a distributed map of shards, merge', () => {
    // Act
    const asl = definition(on);
    const verdict = validateAsl(asl);

    // Assess
    expect(verdict.errors).toEqual([]);
    expect(verdict.isValid).toBe(true);
    expect(asl).toMatchObject({
      StartAt: 'Plan',
      States: {
        Plan: { Type: 'Task', Next: 'Shards' },
        Shards: {
          Type: 'Map',
          ItemsPath: '$.shards',
          MaxConcurrencyPath: '$.maxConcurrency',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            States: {
              Shard: {
                Type: 'Task',
                Retry: [
                  { ErrorEquals: ['PlanMismatch'], MaxAttempts: 0 },
                  { ErrorEquals: ['States.ALL'], MaxAttempts: 2 },
                ],
                Catch: [{ ErrorEquals: ['States.ALL'], Next: 'ShardFailed' }],
              },
              ShardFailed: { Type: 'Pass', Parameters: { failed: true } },
            },
          },
          Next: 'Merge',
        },
        Merge: { Type: 'Task', End: true },
      },
    });
  });

  it('would refuse a broken definition: the validation is not vacuous', () => {
    // Prepare: the merge no longer ends the run, and names no next state
    const asl = definition(on) as { States: Record<string, Record<string, unknown>> };
    const { End: _end, ...merge } = asl.States.Merge ?? {};
    asl.States.Merge = merge;

    // Act
    const verdict = validateAsl(asl);

    // Assess
    expect(verdict.isValid).toBe(false);
  });

  it('runs the steps as functions of the one bundle, each handed the parts bucket', () => {
    // Act
    const functions = Object.fromEntries(
      ofType(on, 'AWS::Lambda::Function').map(([id, fn]) => [id, fn.Properties]),
    );

    // Assess
    for (const step of ['Plan', 'Shard', 'Merge']) {
      expect(functions[`${step}LambdaFunction`]).toMatchObject({
        Handler: `src/handler.${step.toLowerCase()}`,
        Runtime: 'nodejs24.x',
        Environment: {
          Variables: {
            PARTS_BUCKET: { Ref: 'PartsBucket' },
            AUDIT_SHARD_SIZE: '500',
            SHARD_CONCURRENCY: '25',
          },
        },
      });
    }
  });

  it('gives the merge the memory and heap of a live set of gigabytes, the other steps the function defaults, and every function two malloc arenas', () => {
    // Act
    const functions = Object.fromEntries(
      ofType(on, 'AWS::Lambda::Function').map(([id, fn]) => [id, fn.Properties]),
    );
    const variables = (id: string) =>
      (functions[id]?.Environment as { Variables: Record<string, string> } | undefined)?.Variables;
    const nodeOptions = (id: string) => variables(id)?.NODE_OPTIONS;

    // Assess
    expect(functions.MergeLambdaFunction).toMatchObject({ MemorySize: 4096 });
    expect(nodeOptions('MergeLambdaFunction')).toBe(MERGE_START_FLAGS.join(' '));
    for (const step of ['Plan', 'Shard']) {
      expect(functions[`${step}LambdaFunction`]).toMatchObject({ MemorySize: 1769 });
      expect(nodeOptions(`${step}LambdaFunction`)).toBe(LAMBDA_START_FLAGS.join(' '));
    }
    for (const step of ['Audit', 'Plan', 'Shard', 'Merge'])
      expect(variables(`${step}LambdaFunction`)).toMatchObject(MALLOC_ENVIRONMENT);
  });

  it('lets the state machine invoke its three steps and start its own shard runs, nothing else', () => {
    // Act
    const [[, role] = []] = ofType(on, 'AWS::IAM::Role').filter(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('states.'),
    );
    const statements = (
      must(role, 'state machine role').Properties.Policies as {
        PolicyDocument: { Statement: Record<string, unknown>[] };
      }[]
    ).flatMap((policy) => policy.PolicyDocument.Statement);

    // Assess
    expect(statements.map((s) => s.Action)).toEqual([
      ['lambda:InvokeFunction'],
      ['states:StartExecution'],
      ['states:DescribeExecution', 'states:StopExecution'],
      ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
    ]);
    expect(JSON.stringify(statements[0]?.Resource)).toMatch(
      /PlanLambdaFunction.*ShardLambdaFunction.*MergeLambdaFunction/,
    );
    expect(JSON.stringify(statements[1]?.Resource)).toContain(':stateMachine:eks-oidc-auditor-dev-audit');
  });

  it.each([
    ['Plan', 'lists the organization and writes the plan', ['OrganizationAccounts', 'WritePlan', 'Logs']],
    [
      'Shard',
      "reads the plan's accounts through the member role and writes its part",
      [
        'ListInventory',
        'DescribeClusters',
        'ReadOidcProviders',
        'ReadPodIdentity',
        'OrganizationAccounts',
        'AssumeMemberAuditRole',
        'ReadPlan',
        'WritePart',
        'Logs',
      ],
    ],
    [
      'Merge',
      'reads the parts and the accepted risks, and publishes',
      [
        'ReadSuppressions',
        'ReadSuppressionsObject',
        'PublishSecurityHub',
        'PublishSecurityHubWorkflow',
        'PublishReports',
        'PublishMetrics',
        'PublishAlerts',
        'PublishAlertsEncrypted',
        'PublishAlertState',
        'ReadParts',
        'Logs',
      ],
    ],
  ])('gives the %s step a role of its own: it %s, nothing else', (step, _, sids) => {
    // Act
    const fn = must(resources(on)[`${step}LambdaFunction`], `${step} function`);
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = (
      must(resources(on)[roleId], `${step} role`).Properties.Policies as {
        PolicyDocument: { Statement: { Sid?: string; Action: string | string[]; Resource: unknown }[] };
      }[]
    ).flatMap((policy) => policy.PolicyDocument.Statement);
    const audit = (
      must(resources(on).IamRoleLambdaExecution, 'function role').Properties.Policies as {
        PolicyDocument: { Statement: { Sid?: string }[] };
      }[]
    ).flatMap((policy) => policy.PolicyDocument.Statement);

    // Assess: exactly its statements, the shared ones as in the audit function's role
    expect(roleId).toBe(`FanOut${step}Role`);
    expect(statements.map((s) => s.Sid)).toEqual(sids);
    const partsBucket = ['WritePlan', 'ReadPlan', 'WritePart', 'ReadParts'];
    for (const statement of statements.filter((s) => ![...partsBucket, 'Logs'].includes(s.Sid ?? '')))
      expect(audit).toContainEqual(statement);
    const own = statements.filter((s) => partsBucket.includes(s.Sid ?? ''));
    expect(own.map((s) => s.Resource)).toEqual(
      own.map((s) => ({
        'Fn::Sub': `\${PartsBucket.Arn}/runs/*${s.Sid === 'ReadPlan' ? '/plan.json' : ''}`,
      })),
    );
    for (const statement of own.filter((s) => s.Sid === 'ReadPlan'))
      expect(statement.Action).toEqual(['s3:GetObject']);
    expect(JSON.stringify(statements.find((s) => s.Sid === 'Logs')?.Resource)).toContain(
      `:log-group:/aws/lambda/eks-oidc-auditor-dev-${step.toLowerCase()}:*`,
    );
  });

  it('keeps the parts in a private, TLS-only bucket that expires them', () => {
    // Act
    const bucket = resources(on).PartsBucket;

    // Assess
    expect(bucket?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [{ Prefix: 'runs/', ExpirationInDays: 7 }] },
    });
    expect(resources(on).PartsBucketPolicy?.Properties.PolicyDocument).toMatchObject({
      Statement: [{ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
    });
  });

  it('runs the schedule on the state machine, the function kept for manual invokes', () => {
    expect(scheduleOf(on, 'function')).toBe('DISABLED');
    expect(scheduleOf(on, 'state machine')).toBe('ENABLED');
  });

  it.each([
    ['FanOutExecutionsFailedAlarm', 'AWS/States', 'ExecutionsFailed', 'StateMachineArn'],
    ['FanOutExecutionsTimedOutAlarm', 'AWS/States', 'ExecutionsTimedOut', 'StateMachineArn'],
    ['FanOutExecutionsAbortedAlarm', 'AWS/States', 'ExecutionsAborted', 'StateMachineArn'],
    ['FanOutPlanErrorsAlarm', 'AWS/Lambda', 'Errors', 'FunctionName'],
    ['FanOutMergeErrorsAlarm', 'AWS/Lambda', 'Errors', 'FunctionName'],
  ])('alarms the alert topic with %s on %s %s', (id, namespace, metric, dimension) => {
    // Act
    const alarm = must(resources(on)[id], id);
    const body = JSON.stringify(resources(on).Dashboard?.Properties.DashboardBody);

    // Assess
    expect(alarm.Type).toBe('AWS::CloudWatch::Alarm');
    expect(alarm.Properties).toMatchObject({
      Namespace: namespace,
      MetricName: metric,
      Dimensions: [{ Name: dimension }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: 'AlertTopic' }],
    });
    expect(body).toContain(`\\"\${${id}.Arn}\\"`);
  });

  it("watches this stack's state machine by its ARN, and the plan and merge functions themselves", () => {
    // Prepare
    const dimension = (id: string) =>
      (resources(on)[id]?.Properties.Dimensions as { Value: unknown }[] | undefined)?.[0]?.Value;
    const [[, machine] = []] = ofType(on, 'AWS::StepFunctions::StateMachine');

    // Act
    const machineArn = JSON.stringify(dimension('FanOutExecutionsFailedAlarm'));

    // Assess
    expect(machineArn).toContain(
      `:stateMachine:${must(machine, 'state machine').Properties.StateMachineName}`,
    );
    expect(dimension('FanOutPlanErrorsAlarm')).toEqual({ Ref: 'PlanLambdaFunction' });
    expect(dimension('FanOutMergeErrorsAlarm')).toEqual({ Ref: 'MergeLambdaFunction' });
  });
});

describe('the package with fanOut off (the default)', () => {
  it('holds no fan-out resource: no step function, log group, role, state machine, parts bucket or alarm', () => {
    // Act
    const ids = Object.keys(resources(off));
    const types = new Set(Object.values(resources(off)).map((r) => r.Type));
    const fanOutIdsWhenOn = Object.keys(resources(on)).filter((id) => !(id in resources(off)));

    // Assess
    expect(ids.filter((id) => /Plan|Shard|Merge|FanOut|Parts|StepFunctions|StateMachine/.test(id))).toEqual(
      [],
    );
    expect(types.has('AWS::StepFunctions::StateMachine')).toBe(false);
    expect(ofType(off, 'AWS::Lambda::Function').map(([id]) => id)).toEqual(['AuditLambdaFunction']);
    expect(ofType(off, 'AWS::Logs::LogGroup').map(([id]) => id)).toEqual(['AuditLogGroup']);
    expect(ofType(off, 'AWS::IAM::Role').map(([id]) => id)).toEqual(['IamRoleLambdaExecution']);
    expect(fanOutIdsWhenOn.length).toBeGreaterThanOrEqual(20);
  });

  it("runs the schedule on the function, and lists only the function's alarms on the dashboard", () => {
    // Act
    const body = JSON.stringify(resources(off).Dashboard?.Properties.DashboardBody);

    // Assess
    expect(scheduleOf(off, 'function')).toBe('ENABLED');
    expect(body).toContain('FailedAuditsAlarm.Arn');
    expect(body).not.toContain('FanOut');
  });
});

// The README's account of the stack (what it creates, its alarms and their cost) and deploy/member-role.yaml's
// example of the roles to trust, compared with the two templates packaged above: they cannot drift apart.
describe('the docs of the stack, against the packaged templates', () => {
  const typeCounts = (packaged: PackagedService) => {
    const counts = new Map<string, number>();
    for (const resource of Object.values(resources(packaged)))
      counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
    return counts;
  };
  const alarmNames = (packaged: PackagedService) =>
    ofType(packaged, 'AWS::CloudWatch::Alarm').map(([, alarm]) =>
      String(alarm.Properties.AlarmName).replace(/^eks-oidc-auditor-dev-/, ''),
    );

  it("lists every resource type of the template in the README's table, with its count, fanOut off and on", () => {
    // Act
    const documented = documentedResources();

    // Assess
    expect(Object.fromEntries(documented.off)).toEqual(Object.fromEntries(typeCounts(off)));
    expect(Object.fromEntries(documented.on)).toEqual(Object.fromEntries(typeCounts(on)));
  });

  it('names every alarm of the stack in the README, counts them in its words and prices them in the cost table', () => {
    // Prepare
    const [offAlarms, onAlarms] = [alarmNames(off), alarmNames(on)];
    const fanOutAlarms = onAlarms.filter((name) => !offAlarms.includes(name));

    // Act
    const listed = documentedAlarms();
    const cost = documentedAlarmCost();

    // Assess
    expect(listed.all.toSorted()).toEqual(onAlarms.toSorted());
    expect(listed.fanOut.toSorted()).toEqual(fanOutAlarms.toSorted());
    const prose = README.replace(/\s+/g, ' ');
    expect(prose).toContain(`${inWords(offAlarms.length)} alarms and a dashboard`);
    expect(prose).toContain(`${inWords(fanOutAlarms.length)} more alarms`);
    expect(cost).toMatchObject({ off: offAlarms.length, on: onAlarms.length });
    expect(cost.offTotal).toBeCloseTo(cost.price * offAlarms.length, 2);
    expect(cost.onTotal).toBeCloseTo(cost.price * onAlarms.length, 2);
  });

  it("gives as member-role.yaml's example the roles of the Output AuditorRoleArn, for stage prod in us-east-1", () => {
    // Prepare: each role of the output, named as CloudFormation would name it in a region, for a stage
    const roleName = (id: string, stage: string, region: string) => {
      const name = must(resources(on)[id], `role ${id}`).Properties.RoleName as
        | { 'Fn::Join': [string, unknown[]] }
        | { 'Fn::Sub': string };
      const text =
        'Fn::Sub' in name
          ? name['Fn::Sub']
          : name['Fn::Join'][1]
              .map((part) => (typeof part === 'string' ? part : '${AWS::Region}'))
              .join(name['Fn::Join'][0]);
      return text
        .replace('${AWS::Region}', region)
        .replace('eks-oidc-auditor-dev-', `eks-oidc-auditor-${stage}-`);
    };
    const output = (packaged: PackagedService) =>
      (packaged.template as { Outputs: Record<string, { Value: unknown }> }).Outputs.AuditorRoleArn?.Value;
    const rolesOf = (value: unknown): string[] =>
      [...JSON.stringify(value).matchAll(/"Fn::GetAtt":\["(\w+)","Arn"\]/g)].map(
        (match) => match[1] as string,
      );
    const arns = (packaged: PackagedService, account: string, stage: string, region: string) =>
      rolesOf(output(packaged)).map((id) => `arn:aws:iam::${account}:role/${roleName(id, stage, region)}`);

    // Act
    const example = arns(on, '111111111111', 'prod', 'us-east-1').join(',');
    const single = arns(off, '111111111111', 'prod', 'us-east-1');
    const placeholders = arns(on, '<auditor account>', '<stage>', '<region>');

    // Assess: fanOut=true trusts two roles, the first of them the only one of fanOut=false
    expect(rolesOf(output(on))).toHaveLength(2);
    expect(MEMBER_ROLE.replace(/\n\s*/g, ' ')).toContain(`(${example})`);
    expect(example.startsWith(`${single.join(',')},`)).toBe(true);
    // The README's table of what to pass, fanOut off and on, in placeholders
    for (const arn of placeholders) expect(README).toContain(`${arn}\``);
  });
});
