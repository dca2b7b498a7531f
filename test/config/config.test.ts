import { describe, expect, it } from 'vitest';
import { inputFromEnv } from '../../src/config/env.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { inputFromEvent } from '../../src/config/event.ts';
import { parseFlags } from '../../src/config/flags.ts';
import { mergeInputs, resolveConfig } from '../../src/config/resolve.ts';

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration from the Lambda environment', () => {
  it('uses the documented defaults when nothing is set', () => {
    // Prepare
    const env = {};

    // Act
    const config = resolveConfig('schedule', inputFromEnv(env));

    // Assess
    expect(config).toMatchObject({
      trigger: 'schedule',
      accounts: { kind: 'current' },
      regions: 'all',
      roleName: 'OIDCAuditRole',
      caWarnDays: 180,
      metricsNamespace: 'EKS/OIDCAudit',
      connectTo: [],
      publish: true,
      alertMinSeverity: 'high',
      alertReminderDays: 7,
      metricsPerAccount: false,
      concurrency: 128,
      maxAttempts: 6,
    });
    expect(config.alertTopicArn).toBeUndefined();
    expect(config.alertStateTable).toBeUndefined();
  });

  it('reads the alert and metrics settings', () => {
    // Prepare
    const env = {
      ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:eks-oidc-audit-alerts',
      ALERT_STATE_TABLE: 'eks-oidc-auditor-prod-alert-state',
      ALERT_MIN_SEVERITY: 'medium',
      ALERT_REMINDER_DAYS: '0',
      METRICS_PER_ACCOUNT: 'TRUE',
    };

    // Act
    const config = resolveConfig('schedule', inputFromEnv(env));

    // Assess
    expect(config).toMatchObject({
      alertTopicArn: 'arn:aws:sns:us-east-1:111122223333:eks-oidc-audit-alerts',
      alertStateTable: 'eks-oidc-auditor-prod-alert-state',
      alertMinSeverity: 'medium',
      alertReminderDays: 0,
      metricsPerAccount: true,
    });
  });

  it('reads lists, numbers and connect-to mappings, treating empty strings as unset', () => {
    // Prepare
    const env = {
      AUDIT_ACCOUNTS: '111122223333, 444455556666',
      AUDIT_REGIONS: 'us-east-1,eu-west-1',
      AUDIT_ROLE_NAME: 'Auditor',
      AUDIT_EXTERNAL_ID: '',
      CA_WARN_DAYS: '30',
      AUDIT_CONNECT_TO: 'oidc.eks.us-east-1.amazonaws.com:443:127.0.0.1:8443',
      AWS_MAX_ATTEMPTS: '10',
    };

    // Act
    const config = resolveConfig('schedule', inputFromEnv(env));

    // Assess
    expect(config.accounts).toEqual({ kind: 'list', ids: ['111122223333', '444455556666'] });
    expect(config.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(config.roleName).toBe('Auditor');
    expect(config.externalId).toBeUndefined();
    expect(config.caWarnDays).toBe(30);
    expect(config.maxAttempts).toBe(10);
    expect(config.connectTo).toEqual([
      { host: 'oidc.eks.us-east-1.amazonaws.com', port: 443, connectHost: '127.0.0.1', connectPort: 8443 },
    ]);
  });

  it.each([
    ['AUDIT_ACCOUNTS', { AUDIT_ACCOUNTS: '12345' }, '12-digit'],
    ['AUDIT_REGIONS', { AUDIT_REGIONS: 'us-east-1,Europe' }, 'region name'],
    ['CA_WARN_DAYS', { CA_WARN_DAYS: 'soon' }, 'whole number'],
    ['METRICS_NAMESPACE', { METRICS_NAMESPACE: 'AWS/EKS' }, 'reserved'],
    ['ALERT_TOPIC_ARN', { ALERT_TOPIC_ARN: 'my-topic' }, 'SNS topic ARN'],
    ['AUDIT_CONNECT_TO', { AUDIT_CONNECT_TO: 'host:443' }, 'CONNECT_HOST'],
    ['ALERT_MIN_SEVERITY', { ALERT_MIN_SEVERITY: 'urgent' }, 'expected one of critical, high'],
    ['ALERT_REMINDER_DAYS', { ALERT_REMINDER_DAYS: 'weekly' }, 'whole number'],
    ['ALERT_STATE_TABLE', { ALERT_STATE_TABLE: 'a' }, 'DynamoDB table name'],
    ['METRICS_PER_ACCOUNT', { METRICS_PER_ACCOUNT: 'yes' }, 'true or false'],
    ['AWS_MAX_ATTEMPTS', { AWS_MAX_ATTEMPTS: '50' }, 'at most 20'],
    ['REPORT_BUCKET', { REPORT_BUCKET: 'My_Bucket' }, 'S3 bucket name'],
    ['AUDIT_SUPPRESSIONS_OBJECT', { AUDIT_SUPPRESSIONS_OBJECT: 'bucket/key.yaml' }, 's3://BUCKET/KEY'],
    [
      'AUDIT_SUPPRESSIONS_OBJECT',
      { AUDIT_SUPPRESSIONS_PARAMETER: '/x', AUDIT_SUPPRESSIONS_OBJECT: 's3://b-1/k' },
      'at most one of AUDIT_SUPPRESSIONS_PARAMETER and AUDIT_SUPPRESSIONS_OBJECT',
    ],
  ])('names %s and what was expected', (field, env, expected) => {
    // Act
    const message = configError(() => inputFromEnv(env));

    // Assess
    expect(message).toContain(`environment variable ${field}`);
    expect(message).toContain(expected);
  });
});

it('reads the report bucket and the accepted risks from an S3 object', () => {
  // Act
  const config = resolveConfig(
    'schedule',
    inputFromEnv({
      REPORT_BUCKET: 'audit-reports',
      AUDIT_SUPPRESSIONS_OBJECT: 's3://security-config/a/b.yaml',
    }),
  );

  // Assess
  expect(config.reportBucket).toBe('audit-reports');
  expect(config.suppressions).toEqual({ kind: 's3', bucket: 'security-config', key: 'a/b.yaml' });
});

describe('manual and scheduled events', () => {
  it('lets a manual event narrow accounts and regions and ask for a dry run', () => {
    // Prepare
    const event = { trigger: 'manual', accounts: ['111122223333'], regions: ['eu-west-1'], dryRun: true };

    // Act
    const { trigger, input, dryRun } = inputFromEvent(event);
    const config = resolveConfig(trigger, mergeInputs(inputFromEnv({ AUDIT_ACCOUNTS: 'org' }), input));

    // Assess
    expect(dryRun).toBe(true);
    expect(config.accounts).toEqual({ kind: 'list', ids: ['111122223333'] });
    expect(config.regions).toEqual(['eu-west-1']);
  });

  it.each([
    ['an unknown field (dryrun)', { trigger: 'manual', dryrun: true }, 'dryrun'],
    ['regions as a string', { trigger: 'manual', regions: 'us-east-1' }, 'regions'],
    ['an unknown trigger', { trigger: 'nightly' }, 'trigger'],
    ['a schedule event with extra fields', { trigger: 'schedule', regions: ['us-east-1'] }, 'regions'],
    ['a bad account id', { trigger: 'manual', accounts: ['1234'] }, 'accounts[0]'],
    ['not an object', 'run please', '(root)'],
  ])('rejects %s naming the field', (_case, event, field) => {
    // Act
    const message = configError(() => inputFromEvent(event));

    // Assess
    expect(message).toMatch(/^event field /);
    expect(message).toContain(field);
  });
});

describe('CLI flags', () => {
  it('override the environment field by field', () => {
    // Prepare
    const env = inputFromEnv({ AUDIT_REGIONS: 'us-east-1', AUDIT_ROLE_NAME: 'FromEnv', CA_WARN_DAYS: '90' });

    // Act
    const flags = parseFlags([
      '--regions',
      'eu-west-1,eu-central-1',
      '--ca-warn-days',
      '30',
      '--fail-on',
      'high',
    ]);
    const config = resolveConfig('cli', mergeInputs(env, flags.input));

    // Assess
    expect(config.regions).toEqual(['eu-west-1', 'eu-central-1']);
    expect(config.roleName).toBe('FromEnv');
    expect(config.caWarnDays).toBe(30);
    expect(config.publish).toBe(false);
    expect(flags.failOn).toBe('high');
  });

  it('take the alert and metrics settings, over the environment', () => {
    // Prepare
    const env = inputFromEnv({ ALERT_MIN_SEVERITY: 'critical', METRICS_NAMESPACE: 'From/Env' });

    // Act
    const flags = parseFlags([
      '--publish',
      '--alert-topic-arn',
      'arn:aws:sns:eu-west-1:111122223333:alerts',
      '--alert-state-table',
      'alert-state',
      '--alert-min-severity',
      'low',
      '--alert-reminder-days',
      '14',
      '--metrics-namespace',
      'Security/IRSA',
      '--metrics-per-account',
    ]);
    const config = resolveConfig('cli', mergeInputs(env, flags.input));

    // Assess
    expect(config).toMatchObject({
      publish: true,
      alertTopicArn: 'arn:aws:sns:eu-west-1:111122223333:alerts',
      alertStateTable: 'alert-state',
      alertMinSeverity: 'low',
      alertReminderDays: 14,
      metricsNamespace: 'Security/IRSA',
      metricsPerAccount: true,
    });
  });

  it('takes --connect-to more than once and org filters with --accounts org', () => {
    // Act
    const flags = parseFlags([
      '--accounts=org',
      '--exclude-accounts',
      '111122223333',
      '--include-ous',
      'ou-ab12-cdef3456',
      '--connect-to',
      'a.example:443:127.0.0.1:1',
      '--connect-to',
      'b.example:443:127.0.0.1:2',
    ]);
    const config = resolveConfig('cli', flags.input);

    // Assess
    expect(config.connectTo.map((c) => c.host)).toEqual(['a.example', 'b.example']);
    expect(config.accounts).toEqual({
      kind: 'org',
      excludeAccounts: ['111122223333'],
      includeOus: ['ou-ab12-cdef3456'],
      excludeOus: [],
    });
  });

  it.each([
    ['an unknown flag', ['--regon', 'us-east-1'], "'--regon'"],
    [
      'a bad severity',
      ['--fail-on', 'urgent'],
      'flag --fail-on: expected one of critical, high, medium, low, info',
    ],
    ['a bad format', ['--format', 'yaml'], 'flag --format: expected one of table, json, csv, ocsf, html'],
    ['a negative day count', ['--ca-warn-days', '-3'], '--ca-warn-days'],
    ['a bad region', ['--regions', 'mars-1'], 'flag --regions'],
    [
      'a bad alert severity',
      ['--alert-min-severity', 'urgent'],
      'flag --alert-min-severity: expected one of',
    ],
    ['a bad topic', ['--alert-topic-arn', 'alerts'], 'flag --alert-topic-arn: expected an SNS topic ARN'],
  ])('rejects %s naming the flag', (_case, argv, expected) => {
    // Act
    const message = configError(() => parseFlags(argv));

    // Assess
    expect(message).toContain(expected);
  });

  it('refuses OU filters without --accounts org', () => {
    // Act
    const message = configError(() =>
      resolveConfig('cli', parseFlags(['--exclude-ous', 'ou-ab12-cdef3456']).input),
    );

    // Assess
    expect(message).toContain('--accounts org');
  });
});

describe('--kubernetes', () => {
  it('is off unless the flag or AUDIT_KUBERNETES turns it on', () => {
    // Act
    const off = resolveConfig('cli', mergeInputs(inputFromEnv({}), parseFlags([]).input));
    const flag = resolveConfig('cli', mergeInputs(inputFromEnv({}), parseFlags(['--kubernetes']).input));
    const env = resolveConfig('schedule', inputFromEnv({ AUDIT_KUBERNETES: 'true' }));
    const envOff = resolveConfig('schedule', inputFromEnv({ AUDIT_KUBERNETES: 'false' }));

    // Assess
    expect(off.kubernetes).toBe(false);
    expect(flag.kubernetes).toBe(true);
    expect(env.kubernetes).toBe(true);
    expect(envOff.kubernetes).toBe(false);
  });

  it('refuses an AUDIT_KUBERNETES that is not true or false, naming it', () => {
    // Act
    const read = () => inputFromEnv({ AUDIT_KUBERNETES: 'yes' });

    // Assess
    expect(read).toThrow(/AUDIT_KUBERNETES.*true or false/);
  });
});
