// The stack's params checked at package time (deploy/check-params.ts): each param with a constrained domain refused
// by name with what it takes, through the Lambda's own environment readers where it becomes the environment; the
// defaults and good values pass; `serverless package` stops on a bad one; and each option of the options table with a
// param is a param of the stack, defaulting to the table's default or to '' (not set), that sets the option's
// variable, and each variable of the functions' environment is one the auditor reads.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { deployParamProblems } from '../../deploy/check-params.ts';
import { FAN_OUT_OPTIONS } from '../../src/config/fan-out.ts';
import { OPTIONS } from '../../src/config/options.ts';
import { packageService } from '../support/service.ts';

interface ServiceYaml {
  params: { default: Record<string, unknown> };
  provider: { environment: Record<string, unknown> };
  custom: { fanOutEnvironment: Record<string, unknown> };
}

// serverless.yml with its `${…}` left as text (js-yaml keeps them; CloudFormation tags are not used there).
const SERVICE = yaml.load(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8'), {
  json: true,
}) as ServiceYaml;

/** The service as osls resolves it for these params: `${param:x}` in the environment replaced, the rest dropped. */
function resolvedWith(overrides: Record<string, string> = {}) {
  const params = { ...SERVICE.params.default, ...overrides };
  const environment: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(SERVICE.provider.environment)) {
    const param = /^\$\{param:(\w+)\}$/.exec(String(value))?.[1];
    if (param !== undefined) environment[name] = params[param];
    else if (!String(value).includes('${')) environment[name] = value;
  }
  return { params, providerEnvironment: environment, functions: { audit: {} } };
}

describe('deploy params', () => {
  it('pass with the defaults and with good values of every kind', () => {
    // Prepare
    const good = {
      accounts: '111111111111,222222222222',
      regions: 'us-east-1,eu-west-1',
      organizationId: 'o-a1b2c3d4e5',
      alertMinSeverity: 'medium',
      schedule: 'cron(0 6 * * ? *)',
      heartbeatHours: '168',
      shardSize: '100',
      shardConcurrency: '40',
      fanOut: 'true',
      logRetentionDays: '365',
      alertEmail: 'oncall@example.com',
    };

    // Act
    const defaults = deployParamProblems(resolvedWith());
    const chosen = deployParamProblems(resolvedWith(good));

    // Assess
    expect(defaults).toEqual([]);
    expect(chosen).toEqual([]);
  });

  it.each([
    ['alertMinSeverity', 'urgent', 'expected one of critical, high, medium, low, info'],
    ['organizationId', 'o-bad', 'expected an organization id'],
    ['accounts', 'org,123', 'expected a 12-digit AWS account id'],
    ['regions', 'us-east-9', 'is not an AWS region'],
    ['includeOus', 'Workloads', 'expected an OU id'],
    ['excludeAccounts', '12345', 'expected a 12-digit AWS account id'],
    ['memberRoleName', 'bad name', 'expected an IAM role name'],
    ['externalId', 'x', 'expected an ExternalId'],
    ['metricsNamespace', 'AWS/EKS', 'reserved'],
    ['caWarnDays', '-1', 'expected a whole number'],
    ['alertReminderDays', '400', 'expected at most 365'],
    ['metricsPerAccount', 'yes', 'expected true or false'],
    ['securityHub', 'on', 'expected true or false'],
    ['suppressionsObject', 'bucket/key', 's3://'],
    ['connectTo', 'host', 'expected HOST:PORT:CONNECT_HOST:CONNECT_PORT'],
    ['shardSize', '0', 'expected at least 1'],
    ['shardConcurrency', 'many', 'expected a whole number'],
    ['fanOut', 'yes', 'expected true or false'],
    ['storeReports', '1', 'expected true or false'],
    ['scheduleEnabled', 'no', 'expected true or false'],
    ['fanOut', 'True', 'in lower case'],
    ['schedule', 'every day', 'expected an EventBridge schedule'],
    ['heartbeatHours', '200', 'expected at most 168'],
    ['memorySize', '64', 'expected at least 128'],
    ['mergeMemorySize', '20000', 'expected at most 10240'],
    ['reportRetentionDays', '0', 'expected at least 1'],
    ['partRetentionDays', '7d', 'expected a whole number from 1 to 3650'],
    ['logRetentionDays', '10', 'expected one of 1, 3, 5, 7, 14, 30'],
    ['logLevel', 'VERBOSE', 'expected one of TRACE, DEBUG, INFO'],
    ['alertEmail', 'oncall', 'expected an email address'],
    ['region', 'us-east-9', 'is not an AWS region'],
  ])('refuse %s=%s, naming it and what it takes', (param, value, expected) => {
    // Act
    const problems = deployParamProblems(resolvedWith({ [param]: value }));

    // Assess
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.startsWith(`${param} = ${JSON.stringify(value)}`))).toBe(true);
    expect(problems.join('\n')).toContain(expected);
  });

  it('refuse one suppressions source and another at once', () => {
    // Act
    const problems = deployParamProblems(
      resolvedWith({ suppressionsParameter: '/audit/accepted', suppressionsObject: 's3://bucket/key' }),
    );

    // Assess
    expect(problems).toEqual([
      expect.stringContaining(
        'suppressionsObject = "s3://bucket/key" (AUDIT_SUPPRESSIONS_OBJECT): expected at most one',
      ),
    ]);
  });
});

describe('serverless.yml against the options tables (src/config/options.ts, src/config/fan-out.ts)', () => {
  const ROWS: readonly { field: PropertyKey; env?: string; param?: string; default?: unknown }[] = [
    ...OPTIONS,
    ...FAN_OUT_OPTIONS,
  ];
  // The audit function's environment, and the fan-out functions' own.
  const ENVIRONMENT = { ...SERVICE.provider.environment, ...SERVICE.custom.fanOutEnvironment };

  /** Variables of the environment that are not the auditor's options: the runtime's and Powertools'. */
  const RUNTIME_VARIABLES = ['POWERTOOLS_SERVICE_NAME', 'NODE_OPTIONS', 'MALLOC_ARENA_MAX', 'LOG_LEVEL'];

  it("declares each option's param with the table's default, or '' for not set", () => {
    // Act
    const wrong = ROWS.flatMap((row) => {
      if (row.param === undefined) return [];
      const value = SERVICE.params.default[row.param];
      const expected = row.default === undefined ? '' : String(row.default);
      return value !== undefined && String(value) === expected
        ? []
        : [`${row.param}: ${String(value)}, not ${expected}`];
    });

    // Assess
    expect(wrong).toEqual([]);
  });

  it("sets each option's variable from its param", () => {
    // Act
    const wrong = ROWS.flatMap((row) => {
      if (row.param === undefined || row.env === undefined) return [];
      const value = ENVIRONMENT[row.env];
      return value === `\${param:${row.param}}` ? [] : [`${row.env}: ${String(value)}`];
    });

    // Assess
    expect(wrong).toEqual([]);
  });

  it('sets only variables the auditor reads', () => {
    // Prepare
    const read = ROWS.flatMap((row) => row.env ?? []);

    // Act
    const unread = Object.keys(ENVIRONMENT).filter(
      (name) => !read.includes(name) && !RUNTIME_VARIABLES.includes(name),
    );

    // Assess
    expect(unread).toEqual([]);
  });
});

describe('serverless package', () => {
  it('stops on bad params, naming each with the values it takes, and packages nothing', async () => {
    // Act
    const failure = await packageService(['alertMinSeverity=urgent', 'organizationId=o-bad']).then(
      (packaged) => {
        packaged.remove();
        return undefined;
      },
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );

    // Assess
    expect(failure).toContain('Invalid deploy parameters');
    expect(failure).toContain(
      'alertMinSeverity = "urgent" (ALERT_MIN_SEVERITY): expected one of critical, high, medium, low, info',
    );
    expect(failure).toContain(
      'organizationId = "o-bad": expected an organization id: o- then 10 to 32 of a-z 0-9',
    );
  }, 300_000);
});
