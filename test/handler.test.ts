// The Lambda entry, run through middy as Lambda runs it: a fake context, the real config and audit, and the
// product's AWS clients talking to the sandbox (test/sandbox), which is also asked for the failures a test needs.
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAwsClients, createPublishClients } from '../src/clients/aws.ts';
import type { AuditConfig } from '../src/config/schema.ts';
import {
  createHandler,
  defaultBudgetMarginMs,
  type HandlerOptions,
  type MakeDeps,
  type MakePublishDeps,
} from '../src/handler.ts';
import type { Sandbox } from './sandbox/server.ts';
import { account, cluster, derivedIssuer, provider, world } from './sandbox/world-builders.ts';
import { answeringProber } from './support/probers.ts';
import { callNames, startAuditSandbox, stopSandboxes } from './support/sandbox-aws.ts';

const ACCOUNT = '111122223333';
const NOW = new Date('2026-11-22T12:00:00Z');

// One account, two regions with a cluster each, an IAM OIDC provider for the us-east-1 cluster only.
const WORLD = world([
  account(ACCOUNT, {
    caller: true,
    regions: ['us-east-1', 'eu-west-1'],
    clusters: [cluster('prod', 'us-east-1'), cluster('eu', 'eu-west-1')],
    oidcProviders: [provider(derivedIssuer(ACCOUNT, 'us-east-1', 'prod'))],
    assumableRoles: [],
  }),
]);

afterEach(stopSandboxes);

const prober = answeringProber();

/** The publish step's edges: the product's clients with two attempts per call, so a failing call is retried once. */
function publishDeps() {
  return vi.fn<MakePublishDeps>((_config, _env, log) => ({
    clients: createPublishClients({ maxAttempts: 2 }),
    region: 'us-east-1',
    now: () => NOW,
    log,
  }));
}

const PUBLISHING = /^(cloudwatch|sns|dynamodb):/;

/** What the publish step sent, as `service:Operation`. */
function publishCalls(sandbox: Sandbox): string[] {
  return callNames(sandbox).filter((call) => PUBLISHING.test(call));
}

/** What the audit read, as `service:Operation`. */
function auditCalls(sandbox: Sandbox): string[] {
  return callNames(sandbox).filter((call) => !PUBLISHING.test(call));
}

interface Harness {
  sandbox: Sandbox;
  handler: ReturnType<typeof createHandler>;
  makeDeps: ReturnType<typeof vi.fn<MakeDeps>>;
  makePublishDeps: ReturnType<typeof publishDeps>;
  logger: Logger;
  seen: { config?: AuditConfig; signal?: AbortSignal };
}

async function harness(
  env: Record<string, string | undefined> = {},
  options: Pick<HandlerOptions, 'responseLimitBytes'> & { withoutKeys?: boolean } = {},
): Promise<Harness> {
  const sandbox = await startAuditSandbox(WORLD, { withoutKeys: options.withoutKeys });
  const seen: Harness['seen'] = {};
  // The run's signal is not given to the clients: a call in flight when the budget ends finishes.
  const makeDeps = vi.fn<MakeDeps>((config, _env, extra) => {
    seen.config = config;
    seen.signal = extra.signal;
    return {
      clients: createAwsClients({ maxAttempts: 1 }),
      prober,
      now: () => NOW,
      homeRegion: 'us-east-1',
      ...extra,
    };
  });
  const logger = new Logger({ serviceName: 'eks-oidc-auditor-test', logLevel: 'SILENT' });
  for (const level of ['debug', 'info', 'warn', 'error'] as const) vi.spyOn(logger, level);
  const makePublishDeps = publishDeps();
  const handler = createHandler({
    makeDeps,
    makePublishDeps,
    env: () => env,
    logger,
    responseLimitBytes: options.responseLimitBytes,
  });
  return { sandbox, handler, makeDeps, makePublishDeps, logger, seen };
}

/** A Lambda context whose deadline is `remainingMs` from now and runs down in real time. */
function lambdaContext(remainingMs = 900_000): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'eks-oidc-auditor-test-audit',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:eks-oidc-auditor-test-audit`,
    memoryLimitInMB: '1024',
    awsRequestId: '7f0c1d2e-0000-4000-8000-000000000001',
    logGroupName: '/aws/lambda/eks-oidc-auditor-test-audit',
    logStreamName: '2026/11/22/[$LATEST]0000',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

function logged(logger: Logger, level: 'info' | 'warn' | 'error', message: string): unknown[] | undefined {
  return vi.mocked(logger[level]).mock.calls.find((call) => call[0] === message);
}

describe('Lambda handler: scheduled run', () => {
  it('audits with the environment configuration and returns the report', async () => {
    // Prepare: the environment narrows to us-east-1; empty values count as unset (serverless.yml defaults)
    const { sandbox, handler, logger, seen } = await harness({
      AUDIT_REGIONS: 'us-east-1',
      AUDIT_ACCOUNTS: '',
      CA_WARN_DAYS: '90',
    });

    // Act
    const report = await handler({ trigger: 'schedule' }, lambdaContext());

    // Assess: the real audit ran over the environment's scope
    expect(report.schemaVersion).toBe(1);
    expect(report.trigger).toBe('schedule');
    expect(report.scope).toEqual({ accounts: [ACCOUNT], regions: ['us-east-1'] });
    expect(report.summary).toMatchObject({ accounts: 1, regions: 1, clusters: 1, providers: 1, errors: 0 });
    expect(seen.config).toMatchObject({
      trigger: 'schedule',
      regions: ['us-east-1'],
      caWarnDays: 90,
      publish: true,
    });
    expect(seen.config?.accounts).toEqual({ kind: 'current' });
    expect(sandbox.log.calls('sts', 'GetCallerIdentity')).toBe(1);
    expect(sandbox.log.entriesOf('eks', 'ListClusters').map((c) => c.region)).toEqual(['us-east-1']);
    // Assess: the metrics of the run were published (no topic configured: no alert, no alert state read)
    expect(publishCalls(sandbox)).toEqual(['cloudwatch:PutMetricData']);
    expect(sandbox.published.metrics[0]).toMatchObject({ namespace: 'EKS/OIDCAudit' });
    expect(logged(logger, 'info', 'published')).toBeTruthy();
    // Assess: the logs carry counts, never the report itself
    const finished = logged(logger, 'info', 'audit finished');
    expect(finished?.[1]).toMatchObject({
      summary: report.summary,
      errors: 0,
      stoppedByBudget: false,
      audited: 'everything',
    });
    expect(vi.mocked(logger.error)).not.toHaveBeenCalled();
    const allLogs = JSON.stringify(vi.mocked(logger.info).mock.calls);
    expect(allLogs).not.toContain(report.clusters[0]?.arn ?? 'no cluster');
    expect(allLogs).not.toContain('"findings":[');
  });
});

describe('Lambda handler: a report over the response limit', () => {
  it('returns it shortened, says what was left out, and publishes from the whole of it', async () => {
    // Prepare: a limit the inventory alone exceeds
    const { sandbox, handler, logger } = await harness(
      { AUDIT_REGIONS: 'us-east-1' },
      { responseLimitBytes: 1400 },
    );

    // Act
    const report = await handler({ trigger: 'schedule' }, lambdaContext());

    // Assess
    expect(Buffer.byteLength(JSON.stringify(report))).toBeLessThanOrEqual(1400);
    expect(report.omitted?.sections).toEqual({ issuers: 1, providers: 1 });
    expect([report.issuers, report.providers, report.clusters.length]).toEqual([[], [], 1]);
    expect(report.summary).toMatchObject({ clusters: 1, providers: 1 });
    expect(
      logged(logger, 'warn', 'report shortened to fit the 6 MB Lambda response limit')?.[1],
    ).toMatchObject({
      omitted: report.omitted?.sections,
    });
    const datums = sandbox.published.metrics.flatMap((batch) => batch.metricData);
    expect(datums.find((d) => d.MetricName === 'ClustersAudited')?.Value).toBe(1);
  });
});

describe('Lambda handler: manual run', () => {
  it('lets the event narrow the environment, and a dry run publishes nothing', async () => {
    // Prepare: the environment says two regions, the event asks for eu-west-1
    const { sandbox, handler, logger, seen, makePublishDeps } = await harness({
      AUDIT_ACCOUNTS: ACCOUNT,
      AUDIT_REGIONS: 'us-east-1,eu-west-1',
    });

    // Act
    const report = await handler(
      { trigger: 'manual', accounts: [ACCOUNT], regions: ['eu-west-1'], dryRun: true },
      lambdaContext(),
    );

    // Assess
    expect(report.trigger).toBe('manual');
    expect(report.scope.regions).toEqual(['eu-west-1']);
    expect(report.clusters.map((c) => c.name)).toEqual(['eu']);
    expect(sandbox.log.entriesOf('eks', 'ListClusters').map((c) => c.region)).toEqual(['eu-west-1']);
    expect(seen.config).toMatchObject({ publish: false, accounts: { kind: 'list', ids: [ACCOUNT] } });
    expect(logged(logger, 'info', 'publish skipped (dryRun): no metrics or alerts sent')).toBeTruthy();
    expect(makePublishDeps).not.toHaveBeenCalled();
    expect(publishCalls(sandbox)).toEqual([]);
  });

  it('runs a manual event with no fields over the defaults, publishing', async () => {
    // Prepare
    const { sandbox, handler, seen } = await harness();

    // Act
    const report = await handler({ trigger: 'manual' }, lambdaContext());

    // Assess: all enabled regions of the current account
    expect(report.scope.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(report.summary.clusters).toBe(2);
    expect(sandbox.log.calls('account', 'ListRegions')).toBe(1);
    expect(seen.config).toMatchObject({ regions: 'all', publish: true });
  });
});

describe('Lambda handler: a manual event cannot widen the configured scope', () => {
  it.each([
    {
      name: 'an account outside AUDIT_ACCOUNTS',
      env: { AUDIT_ACCOUNTS: ACCOUNT },
      event: { trigger: 'manual', accounts: [ACCOUNT, '999988887777'] },
      says: 'event field accounts: 999988887777 outside the configured scope (AUDIT_ACCOUNTS)',
    },
    {
      name: 'the organization when AUDIT_ACCOUNTS is a list',
      env: { AUDIT_ACCOUNTS: ACCOUNT },
      event: { trigger: 'manual', accounts: 'org' },
      says: 'event field accounts: org outside the configured scope',
    },
    {
      name: 'any account when the function audits its own account only',
      env: {},
      event: { trigger: 'manual', accounts: ['999988887777'] },
      says: 'this function audits its own account only (AUDIT_ACCOUNTS is unset)',
    },
    {
      name: 'a region outside AUDIT_REGIONS',
      env: { AUDIT_REGIONS: 'us-east-1' },
      event: { trigger: 'manual', regions: ['eu-west-1'] },
      says: 'event field regions: eu-west-1 outside the configured scope (AUDIT_REGIONS)',
    },
  ])('refuses $name before any AWS call', async ({ env, event, says }) => {
    // Prepare
    const { sandbox, handler, makeDeps } = await harness(env);

    // Act
    const outcome = handler(event, lambdaContext());

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringContaining(says),
    });
    expect(makeDeps).not.toHaveBeenCalled();
    expect(sandbox.log.calls()).toBe(0);
  });

  it('lets an organization-wide function audit named accounts (each checked for membership by the scope)', async () => {
    // Prepare
    const { handler, seen } = await harness({ AUDIT_ACCOUNTS: 'org' });

    // Act
    await handler({ trigger: 'manual', accounts: [ACCOUNT], dryRun: true }, lambdaContext());

    // Assess
    expect(seen.config).toMatchObject({ accounts: { kind: 'list', ids: [ACCOUNT] } });
  });
});

describe('Lambda handler: bad input stops before anything runs', () => {
  it.each([
    { name: 'regions as a string', event: { trigger: 'manual', regions: 'us-east-1' }, field: 'regions' },
    { name: 'a misspelt dryRun', event: { trigger: 'manual', dryrun: true }, field: 'dryrun' },
    { name: 'an unknown trigger', event: { trigger: 'hourly' }, field: 'trigger' },
    { name: 'no trigger', event: {}, field: 'trigger' },
    {
      name: 'a schedule with a scope',
      event: { trigger: 'schedule', regions: ['us-east-1'] },
      field: 'regions',
    },
    { name: 'a bad account id', event: { trigger: 'manual', accounts: ['1234'] }, field: 'accounts' },
  ])('rejects $name, naming the field', async ({ event, field }) => {
    // Prepare
    const { sandbox, handler, makeDeps, logger } = await harness();

    // Act
    const outcome = handler(event, lambdaContext());

    // Assess: a ConfigError that names the field; no deps built, no AWS call made
    await expect(outcome).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringContaining(field),
    });
    await expect(outcome).rejects.toThrow(/^event field /);
    expect(makeDeps).not.toHaveBeenCalled();
    expect(sandbox.log.calls()).toBe(0);
    expect(logged(logger, 'error', 'invalid input: nothing was audited')).toBeTruthy();
  });

  it('rejects a bad environment variable, naming it', async () => {
    // Prepare
    const { sandbox, handler, makeDeps } = await harness({ CA_WARN_DAYS: 'soon' });

    // Act
    const outcome = handler({ trigger: 'schedule' }, lambdaContext());

    // Assess
    await expect(outcome).rejects.toThrow(/CA_WARN_DAYS/);
    expect(makeDeps).not.toHaveBeenCalled();
    expect(sandbox.log.calls()).toBe(0);
  });
});

describe('Lambda handler: failures', () => {
  it('fails the invocation when publishing fails after retries, and says it was publishing', async () => {
    // Prepare: every publish call fails
    const { sandbox, handler, logger } = await harness({
      ALERT_TOPIC_ARN: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`,
      ALERT_STATE_TABLE: 'alert-state',
    });
    const unavailable = {
      error: { code: 'ServiceUnavailable', status: 503 },
      times: Number.POSITIVE_INFINITY,
    };
    for (const call of ['dynamodb:Scan', 'sns:Publish', 'cloudwatch:PutMetricData'] as const)
      sandbox.faults.failNext(call, unavailable);

    // Act
    const outcome = handler({ trigger: 'schedule' }, lambdaContext());

    // Assess: the state could not be read, so no alert; the metrics were still tried; the run fails loudly
    await expect(outcome).rejects.toMatchObject({ name: 'PublishError' });
    await expect(outcome).rejects.toThrow(/alerts not delivered: .*ServiceUnavailable.*metrics not sent/);
    expect(publishCalls(sandbox)).toEqual([
      'dynamodb:Scan',
      'dynamodb:Scan',
      'cloudwatch:PutMetricData',
      'cloudwatch:PutMetricData',
    ]);
    expect(
      logged(logger, 'error', 'publish failed: the invocation fails so that it is retried'),
    ).toBeTruthy();
    expect(logged(logger, 'error', 'audit failed')).toBe(undefined);
  });

  it('fails with the one-line credentials message when there are none', async () => {
    // Prepare
    const { handler, logger } = await harness({}, { withoutKeys: true });

    // Act
    const outcome = handler({ trigger: 'manual', dryRun: true }, lambdaContext());

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'NoCredentialsError' });
    await expect(outcome).rejects.toThrow(/^No usable AWS credentials .*AWS_PROFILE/);
    expect(logged(logger, 'error', 'audit failed')).toBeTruthy();
  });
});

describe('Lambda handler: time budget', () => {
  it('keeps 10% of the time back, at least 30 s, at most half of what is left', () => {
    // Prepare / Act / Assess
    expect(defaultBudgetMarginMs(900_000)).toBe(90_000);
    expect(defaultBudgetMarginMs(120_000)).toBe(30_000);
    expect(defaultBudgetMarginMs(20_000)).toBe(10_000);
    expect(defaultBudgetMarginMs(0)).toBe(0);
  });

  it('starts no work when no time is left, and still returns a report naming what was not audited', async () => {
    // Prepare: the deadline has come
    const { sandbox, handler, seen, logger } = await harness();

    // Act
    const report = await handler({ trigger: 'schedule' }, lambdaContext(0));

    // Assess
    expect(seen.signal?.aborted).toBe(true);
    expect(report.summary.clusters).toBe(0);
    expect(report.errors.length).toBeGreaterThan(0);
    expect(report.errors.every((e) => e.stage.startsWith('time budget'))).toBe(true);
    expect(report.errors[0]).toMatchObject({ accountId: ACCOUNT, code: 'TimeBudgetExceeded' });
    expect(report.summary.errors).toBe(report.errors.length);
    expect(sandbox.log.calls('eks', 'ListClusters')).toBe(0);
    expect(logged(logger, 'info', 'audit finished')?.[1]).toMatchObject({
      stoppedByBudget: true,
      errorsByStage: { 'time budget': 1 },
      audited: 'nothing',
    });
    // Assess: a run that read nothing is logged as a failed audit, not as a success
    expect(
      logged(logger, 'error', 'audit failed: coverage 0%, no account × region pair could be read')?.[1],
    ).toMatchObject({
      blindAccounts: [ACCOUNT],
    });
  });

  it('aborts when the budget runs out mid-run; work in flight finishes, nothing new starts', async () => {
    // Prepare: 400 ms left ⇒ a 200 ms budget; the identity call (read whatever the budget) is answered only once
    // the budget has ended, however late it was sent
    const { sandbox, handler, seen } = await harness();
    const answerIdentity = sandbox.faults.hold('sts:GetCallerIdentity');

    // Act
    const run = handler({ trigger: 'schedule' }, lambdaContext(400));
    await vi.waitFor(() => expect(seen.signal?.aborted).toBe(true), { timeout: 5_000 });
    answerIdentity();
    const report = await run;

    // Assess: the identity call finished, no read started after it
    expect(report.scope.accounts).toEqual([ACCOUNT]);
    expect(report.errors.map((e) => e.stage)).toEqual(['time budget']);
    expect(auditCalls(sandbox)).toEqual(['sts:GetCallerIdentity']);
  });

  it('runs without a budget when the context gives no deadline', async () => {
    // Prepare: a bare context, as some test harnesses pass
    const { handler, seen } = await harness();

    // Act
    const report = await handler({ trigger: 'schedule' }, {} as Context);

    // Assess
    expect(seen.signal?.aborted).toBe(false);
    expect(report.summary.errors).toBe(0);
  });
});
