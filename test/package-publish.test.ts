// The publishing half of the packaged CloudFormation template (`serverless package`, offline, no credentials):
// the schedule's input, the KMS-encrypted alert topic, the state table, the dashboard, the alarms, the failure
// destination, and an IAM role with no wildcard action and no wildcard resource on a write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputFromEvent } from '../src/config/event.ts';
import { SEVERITIES } from '../src/model/finding.ts';
import { buildMetricData, METRIC } from '../src/publish/metrics.ts';
import { aFinding, aReport } from './publish/support.ts';
import { aHostProbe } from './support/inventory.ts';
import { type PackagedService, packageService } from './support/service.ts';

interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, unknown>;
}
type Template = { Resources: Record<string, Resource>; Conditions?: Record<string, unknown> };
interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string>>;
}

let packaged: PackagedService;
let template: Template;

beforeAll(async () => {
  // Act: one package run, in a temp copy of the service
  packaged = await packageService();
  template = packaged.template as Template;
}, 300_000);

afterAll(() => packaged?.remove());

function resource(logicalId: string): Resource {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`no resource ${logicalId} in the template`);
  return found;
}
const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
const isRead = (action: string) => /^[a-z0-9-]+:(List|Get|Describe)[A-Za-z]*$/.test(action);

/** Every role's statements: the audit function's, the fan-out steps' and the state machine's. */
function roleStatements(): Statement[] {
  return ofType('AWS::IAM::Role').flatMap(([, role]) =>
    ((role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
      (p) => p.PolicyDocument.Statement,
    ),
  );
}

/** The statement of the audit function's role granting `action`: exactly one must. */
function grant(action: string): Statement {
  const role = resource('IamRoleLambdaExecution');
  const found = ((role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[])
    .flatMap((p) => p.PolicyDocument.Statement)
    .filter((s) => actionsOf(s).includes(action));
  expect(found, action).toHaveLength(1);
  return found[0] as Statement;
}

/** A Fn::Sub text as CloudFormation would render it, with `${X.Attr}` and pseudo parameters filled in. */
function renderSub(value: unknown): string {
  const text = (value as { 'Fn::Sub': string })['Fn::Sub'];
  return text.replace(/\$\{([^}]+)\}/g, (_, name: string) =>
    name === 'AWS::Region' ? 'us-east-1' : name.includes('.') ? `<${name}>` : `<unresolved ${name}>`,
  );
}

describe('the packaged template: publishing', () => {
  it('schedules the audit with the schedule event as input', () => {
    // Act
    const rules = ofType('AWS::Events::Rule');
    const targets = (rules[0]?.[1].Properties.Targets ?? []) as { Input?: string }[];
    const input = JSON.parse(targets[0]?.Input ?? 'null');

    // Assess
    expect(input).toEqual({ trigger: 'schedule' });
    expect(inputFromEvent(input)).toMatchObject({ trigger: 'schedule', dryRun: false });
  });

  it('creates the alert topic encrypted with a rotated key that CloudWatch alarms may use, and an optional email subscription', () => {
    // Act
    const topic = resource('AlertTopic');
    const key = resource('AlertKey');
    const subscription = resource('AlertEmailSubscription');
    const keyPolicy = key.Properties.KeyPolicy as { Statement: { Principal: unknown; Action: string[] }[] };

    // Assess
    expect(topic.Type).toBe('AWS::SNS::Topic');
    expect(topic.Properties.KmsMasterKeyId).toEqual({ Ref: 'AlertKey' });
    expect(key).toMatchObject({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } });
    expect(keyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    expect(subscription).toMatchObject({
      Condition: 'HasAlertEmail',
      Properties: { Protocol: 'email', TopicArn: { Ref: 'AlertTopic' } },
    });
    expect(template.Conditions?.HasAlertEmail).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
  });

  it('creates the alert state table the store expects and hands its name and the topic to the function', () => {
    // Act
    const table = resource('AlertStateTable');
    const variables = (
      resource('AuditLambdaFunction').Properties.Environment as { Variables: Record<string, unknown> }
    ).Variables;

    // Assess: key `id` (src/publish/state.ts), on demand, resolved items expiring through `expiresAt`
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(variables).toMatchObject({
      ALERT_TOPIC_ARN: { Ref: 'AlertTopic' },
      ALERT_STATE_TABLE: { Ref: 'AlertStateTable' },
      ALERT_MIN_SEVERITY: 'high',
      ALERT_REMINDER_DAYS: '7',
      METRICS_PER_ACCOUNT: 'false',
    });
  });

  it('builds a dashboard of findings by severity, days to CA expiry, audit errors and time since the last successful run', () => {
    // Act
    const body = JSON.parse(renderSub(resource('Dashboard').Properties.DashboardBody)) as {
      widgets: { type: string; properties: { title: string; metrics?: unknown[][]; alarms?: string[] } }[];
    };
    const byTitle = new Map(body.widgets.map((w) => [w.properties.title, w]));
    const text = (title: string) => JSON.stringify(byTitle.get(title)?.properties ?? null);

    // Assess: every metric the widgets name is one the auditor sends
    expect([...byTitle.keys()]).toEqual([
      'Findings by severity',
      'Days to the earliest CA expiry, per issuer host',
      'Audit errors and alert delivery failures',
      'Hours since the last successful audit',
      'Coverage: account x region pairs audited (%)',
      'Blind accounts, and findings muted as accepted risks',
      'Findings by check',
      'Alarms',
    ]);
    expect(text('Findings by check')).toContain(`{EKS/OIDCAudit,Check} MetricName=\\"${METRIC.findings}\\"`);
    expect((body as unknown as { start: string }).start).toBe('-P14D');
    expect(text('Coverage: account x region pairs audited (%)')).toContain(`"${METRIC.coverage}"`);
    expect(text('Blind accounts, and findings muted as accepted risks')).toContain(
      `"${METRIC.blindAccounts}"`,
    );
    expect(text('Blind accounts, and findings muted as accepted risks')).toContain(`"${METRIC.muted}"`);
    expect(byTitle.get('Findings by severity')?.properties.metrics?.map((m) => [m[1], m[3]])).toEqual(
      SEVERITIES.map((s) => [METRIC.findings, s]),
    );
    expect(text('Days to the earliest CA expiry, per issuer host')).toContain(
      `MetricName=\\"${METRIC.daysToCaExpiry}\\"`,
    );
    expect(text('Audit errors and alert delivery failures')).toContain(`"${METRIC.auditErrors}"`);
    expect(text('Audit errors and alert delivery failures')).toContain(`"${METRIC.alertFailures}"`);
    expect(text('Hours since the last successful audit')).toContain(`"${METRIC.runs}"`);
    expect(text('Hours since the last successful audit')).toContain(
      'EPOCH(FILL(m1, 0)) - FILL(EPOCH(m1), REPEAT)',
    );
    expect(byTitle.get('Alarms')?.properties.alarms).toEqual([
      '<HeartbeatAlarm.Arn>',
      '<CriticalFindingsAlarm.Arn>',
      '<CoverageAlarm.Arn>',
      '<AuditErrorsAlarm.Arn>',
      '<AlertDeliveryAlarm.Arn>',
      '<FailedAuditsAlarm.Arn>',
    ]);
    expect(JSON.stringify(body)).not.toContain('<unresolved');
  });

  it('names in its dashboard only metrics, and dimensions, that the publisher emits', () => {
    // Prepare: what one run of a report with findings and an issuer's chain publishes, alert metrics included
    const host = aHostProbe();
    const report = aReport({
      findings: [aFinding('app')],
      issuers: [{ issuer: `https://${host.host}/id/A`, host: host.host, tls: host }],
    });
    const emitted = buildMetricData(report, { perAccount: false, alerts: { messages: 1, delivered: true } });
    const names = new Set(emitted.map((datum) => datum.MetricName));
    const dimensions = new Set(emitted.flatMap((datum) => (datum.Dimensions ?? []).map((d) => d.Name)));
    const body = renderSub(resource('Dashboard').Properties.DashboardBody);

    // Act: every ["EKS/OIDCAudit", "<metric>", "<dimension>"?...] and every SEARCH over the namespace
    const listed = [...body.matchAll(/\["EKS\/OIDCAudit", "(\w+)"(?:, "(\w+)")?/g)];
    const searched = [...body.matchAll(/\{EKS\/OIDCAudit,(\w+)\} MetricName=\\"(\w+)\\"/g)];

    // Assess
    expect(listed.length + searched.length).toBeGreaterThanOrEqual(8);
    for (const [, metric, dimension] of listed) {
      expect(names).toContain(metric);
      if (dimension) expect(dimensions).toContain(dimension);
    }
    for (const [, dimension, metric] of searched) {
      expect(names).toContain(metric);
      expect(dimensions).toContain(dimension);
    }
  });

  it('alarms on critical findings and on a missing heartbeat, to the alert topic', () => {
    // Act
    const critical = resource('CriticalFindingsAlarm').Properties;
    const heartbeat = resource('HeartbeatAlarm').Properties;

    // Assess: critical findings in the last run
    expect(critical).toMatchObject({
      Namespace: 'EKS/OIDCAudit',
      MetricName: METRIC.findings,
      Dimensions: [{ Name: 'Severity', Value: 'critical' }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: [{ Ref: 'AlertTopic' }],
    });
    // Assess: no successful run (AuditRuns) for 26 hours, missing data counting against it, within the 7-day
    // evaluation range CloudWatch allows
    expect(heartbeat).toMatchObject({
      Namespace: 'EKS/OIDCAudit',
      MetricName: METRIC.runs,
      Statistic: 'Sum',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: 'AlertTopic' }],
    });
    const periods = Number(heartbeat.EvaluationPeriods);
    expect(Number(heartbeat.DatapointsToAlarm)).toBe(periods);
    expect(Number(heartbeat.Period) * periods).toBe(26 * 3600);
    expect(Number(heartbeat.Period) * periods).toBeLessThanOrEqual(7 * 86_400);
    expect(
      ofType('AWS::CloudWatch::Alarm')
        .map(([id]) => id)
        .sort(),
    ).toEqual([
      'AlertDeliveryAlarm',
      'AuditErrorsAlarm',
      'CoverageAlarm',
      'CriticalFindingsAlarm',
      'FailedAuditsAlarm',
      'HeartbeatAlarm',
    ]);
  });

  it('alarms when the last audit was partly blind: coverage below 100% or any audit error', () => {
    // Act
    const coverage = resource('CoverageAlarm').Properties;
    const errors = resource('AuditErrorsAlarm').Properties;

    // Assess
    expect(coverage).toMatchObject({
      Namespace: 'EKS/OIDCAudit',
      MetricName: METRIC.coverage,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 100,
      AlarmActions: [{ Ref: 'AlertTopic' }],
      OKActions: [{ Ref: 'AlertTopic' }],
    });
    expect(errors).toMatchObject({
      Namespace: 'EKS/OIDCAudit',
      MetricName: METRIC.auditErrors,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: [{ Ref: 'AlertTopic' }],
    });
  });

  it('retries a failed invocation once, then sends it to the failed-audits queue', () => {
    // Act
    const [[, config] = []] = ofType('AWS::Lambda::EventInvokeConfig');

    // Assess
    expect(config?.Properties).toMatchObject({
      FunctionName: { Ref: 'AuditLambdaFunction' },
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['FailedAuditsQueue', 'Arn'] } } },
    });
    expect(resource('FailedAuditsQueue').Properties).toMatchObject({ SqsManagedSseEnabled: true });
    expect(resourcesOf(grant('sqs:SendMessage'))).toEqual([{ 'Fn::GetAtt': ['FailedAuditsQueue', 'Arn'] }]);
  });

  it('grants no wildcard action, and no write on a wildcard resource except metrics confined to the namespace', () => {
    // Prepare
    const statements = roleStatements();

    // Act
    const wildcardActions = statements.flatMap(actionsOf).filter((a) => a.includes('*'));
    const wildcardWrites = statements.filter(
      (s) => actionsOf(s).some((a) => !isRead(a)) && resourcesOf(s).some((r) => r === '*'),
    );

    // Assess: PutMetricData supports no resource-level permission; its namespace condition is the narrowing.
    // AssumeRole names the member role in any account (the audited ones): the account is its only wildcard.
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    expect(wildcardActions).toEqual([]);
    // (in the audit function's role and the fan-out merge's)
    expect([...new Set(wildcardWrites.flatMap((s) => actionsOf(s)))]).toEqual(['cloudwatch:PutMetricData']);
    expect(grant('cloudwatch:PutMetricData')).toMatchObject({
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'EKS/OIDCAudit' } },
    });
    expect(JSON.stringify(grant('sts:AssumeRole').Resource)).toContain(':role/${MemberRoleName}');
    // Assess: each publishing write on this stack's own resource, and nothing else
    expect(grant('sns:Publish')).toMatchObject({ Action: ['sns:Publish'], Resource: { Ref: 'AlertTopic' } });
    expect(grant('kms:GenerateDataKey')).toMatchObject({
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: { 'Fn::GetAtt': ['AlertKey', 'Arn'] },
    });
    expect(grant('dynamodb:UpdateItem')).toMatchObject({
      Action: ['dynamodb:Scan', 'dynamodb:UpdateItem'],
      Resource: { 'Fn::GetAtt': ['AlertStateTable', 'Arn'] },
    });
  });

  it('keeps the reports, when storeReports=true, in a private, encrypted, TLS-only bucket that expires them', () => {
    // Act
    const bucket = resource('ReportBucket');
    const policy = resource('ReportBucketPolicy');
    const variables = (
      resource('AuditLambdaFunction').Properties.Environment as { Variables: Record<string, unknown> }
    ).Variables;

    // Assess: created only when asked for, and then handed to the function
    expect(bucket.Condition).toBe('StoreReports');
    expect(template.Conditions?.StoreReports).toEqual({ 'Fn::Equals': ['false', 'true'] });
    expect(variables.REPORT_BUCKET).toEqual({ 'Fn::If': ['StoreReports', { Ref: 'ReportBucket' }, ''] });
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [
          {
            Status: 'Enabled',
            Prefix: 'reports/',
            ExpirationInDays: 90,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
    });
    expect(policy.Properties.PolicyDocument).toMatchObject({
      Statement: [
        { Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    });
    // Assess: the function writes under reports/ of that bucket only
    const writes = roleStatements().find((s) => s.Sid === 'PublishReports') as Statement;
    expect(actionsOf(writes)).toEqual(['s3:PutObject', 's3:AbortMultipartUpload']);
    expect(writes.Resource).toEqual({
      'Fn::If': [
        'StoreReports',
        { 'Fn::Sub': '${ReportBucket.Arn}/reports/*' },
        { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::eks-oidc-auditor-no-reports/none' },
      ],
    });
  });
});
