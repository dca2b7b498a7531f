// Publishing end to end: the real Lambda handler (and the CLI's --publish) audits a sandbox world with the real
// SDK clients and publishes to the sandbox's CloudWatch, SNS and DynamoDB. Only the clock and the retry count
// of the publish clients are the test's.
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { createAwsClients } from '../../src/clients/aws.ts';
import { createHandler } from '../../src/handler.ts';
import { createIssuerProber } from '../../src/inventory/issuer-probe.ts';
import { METRIC } from '../../src/publish/metrics.ts';
import { htmlChunks } from '../../src/report/html.ts';
import type { Report } from '../../src/report/types.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import type { SnsMessage } from '../sandbox/services/types.ts';
import type { WorldInput } from '../sandbox/world.ts';
import { account, CALLER_ID, callerAccount, role, world } from '../sandbox/world-builders.ts';
import { DAY_MS, STATE_TABLE, sandboxPublishClients, T0 } from './support.ts';

const TOPIC = `arn:aws:sns:us-east-1:${CALLER_ID}:eks-oidc-auditor-e2e-alerts`;
const LAMBDA_ENV = {
  AUDIT_ACCOUNTS: 'org',
  AUDIT_REGIONS: 'us-east-1',
  ALERT_TOPIC_ARN: TOPIC,
  ALERT_STATE_TABLE: STATE_TABLE,
  ALERT_MIN_SEVERITY: 'medium',
  AWS_REGION: 'us-east-1',
};

/** A trust that names an OIDC provider the account does not have: trust-unknown-provider (medium). */
function trustOfMissingProvider(accountId: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: {
          Federated: `arn:aws:iam::${accountId}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`,
        },
        Action: 'sts:AssumeRoleWithWebIdentity',
      },
    ],
  };
}

const REPORT_BUCKET = 'eks-oidc-auditor-e2e-reports';

/** An organization of `members` accounts with `rolesPerAccount` such roles each; the caller manages it. */
function orgWorld(members: number, rolesPerAccount: number, skip: string[] = []): WorldInput {
  const ids = Array.from({ length: members }, (_, i) => String(200000000000 + i));
  return world(
    [
      callerAccount({ regions: ['us-east-1'] }),
      ...ids.map((id) =>
        account(id, {
          regions: ['us-east-1'],
          roles: Array.from({ length: rolesPerAccount }, (_, r) => `app-${r}`)
            .filter((name) => !skip.includes(`${id}/${name}`))
            .map((name) => role(name, trustOfMissingProvider(id), { path: '/irsa/' })),
        }),
      ),
    ],
    {
      organization: { managementAccount: CALLER_ID },
      snsTopics: [TOPIC],
      dynamodbTables: [{ name: STATE_TABLE }],
      s3Buckets: [{ name: REPORT_BUCKET, region: 'us-east-1' }],
    },
  );
}

// The audit's clients resolve the endpoint and keys from the environment, as in Lambda.
const savedEnv = { ...process.env };
function pointAt(sandbox: Sandbox): void {
  Object.assign(process.env, sandbox.env, {
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  });
}
afterAll(() => {
  process.env = savedEnv;
});

function handlerOn(
  sandbox: Sandbox,
  options: { now: Date; env?: Record<string, string>; attempts?: number },
) {
  pointAt(sandbox);
  return createHandler({
    env: () => ({ ...LAMBDA_ENV, ...options.env }),
    logger: new Logger({ serviceName: 'eks-oidc-auditor-e2e', logLevel: 'SILENT' }),
    makeDeps: (config, _env, extra) => ({
      clients: createAwsClients(),
      prober: createIssuerProber({ connectTo: config.connectTo, trustedCAs: [sandbox.trustedCaPem] }),
      now: () => options.now,
      homeRegion: 'us-east-1',
      ...extra,
    }),
    makePublishDeps: (_config, _env, log) => ({
      clients: sandboxPublishClients(sandbox, options.attempts ?? 3),
      region: 'us-east-1',
      now: () => options.now,
      log,
    }),
  });
}

const context = {} as Context;
const schedule = { trigger: 'schedule' };

interface Digest {
  digestId: string;
  part: number;
  parts: number;
  counts: { new: number; resolved: number; reminder: number };
  transitions: { kind: string; finding: { id: string } }[];
}
const digestOf = (message: SnsMessage) => JSON.parse(JSON.parse(message.message).default) as Digest;
const metricValues = (sandbox: Sandbox, name: string) =>
  sandbox.published.metrics
    .flatMap((m) => m.metricData)
    .filter((d) => d.MetricName === name)
    .map((d) => d.Value);

/** The state table carried over to a sandbox serving a changed world, as the real table outlives the change. */
async function withStateOf(previous: Sandbox, next: WorldInput): Promise<Sandbox> {
  const sandbox = await startSandbox(next, { issuers: false });
  const client = new DynamoDBClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
  for (const item of previous.dynamodb.items(STATE_TABLE)) {
    await client.send(new PutItemCommand({ TableName: STATE_TABLE, Item: item as never }));
  }
  return sandbox;
}

let sandboxes: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.map((s) => s.stop()));
  sandboxes = [];
});
async function start(input: WorldInput, previous?: Sandbox): Promise<Sandbox> {
  const sandbox = previous
    ? await withStateOf(previous, input)
    : await startSandbox(input, { issuers: false });
  sandboxes.push(sandbox);
  return sandbox;
}

describe('publishing through the Lambda handler, end to end', () => {
  it('sends one digest for a world, then none when the next run finds the same', async () => {
    // Prepare
    const sandbox = await start(orgWorld(2, 2));

    // Act
    const first = await handlerOn(sandbox, { now: T0 })(schedule, context);
    const second = await handlerOn(sandbox, { now: new Date(T0.getTime() + DAY_MS) })(schedule, context);

    // Assess: one message, naming each of the four findings once
    expect(first.findings).toHaveLength(4);
    expect(second.findings.map((f) => f.id)).toEqual(first.findings.map((f) => f.id));
    expect(sandbox.published.sns).toHaveLength(1);
    const [message] = sandbox.published.sns;
    expect(message?.subject).toBe('EKS OIDC audit: 4 new (worst: medium)');
    expect(
      digestOf(message as SnsMessage)
        .transitions.map((t) => t.finding.id)
        .sort(),
    ).toEqual(first.findings.map((f) => f.id).sort());
    // Assess: both runs sent their metrics and heartbeat; the state knows all four as open
    expect(metricValues(sandbox, METRIC.runs)).toEqual([1, 1]);
    expect(metricValues(sandbox, METRIC.alertMessages)).toEqual([1, 0]);
    const state = sandbox.dynamodb.items(STATE_TABLE);
    expect(state.map((item) => item.status?.S)).toEqual(['open', 'open', 'open', 'open']);
    expect(state.every((item) => item.claim === undefined)).toBe(true);
  });

  it('sends a resolution when a finding is fixed, and only that', async () => {
    // Prepare: a first run alerts four findings; then role app-1 of the first member is fixed
    const before = await start(orgWorld(2, 2));
    const first = await handlerOn(before, { now: T0 })(schedule, context);
    const after = await start(orgWorld(2, 2, ['200000000000/app-1']), before);
    const fixed = first.findings.find(
      (f) => f.resource.endsWith(':role/irsa/app-1') && f.accountId === '200000000000',
    );

    // Act
    const second = await handlerOn(after, { now: new Date(T0.getTime() + DAY_MS) })(schedule, context);

    // Assess
    expect(second.findings).toHaveLength(3);
    expect(after.published.sns).toHaveLength(1);
    const [message] = after.published.sns;
    expect(message?.subject).toBe('EKS OIDC audit: 1 resolved');
    expect(digestOf(message as SnsMessage).transitions).toEqual([
      expect.objectContaining({ kind: 'resolved', finding: expect.objectContaining({ id: fixed?.id }) }),
    ]);
    expect(JSON.parse(message?.message ?? '{}').email).toContain(`Was: ${fixed?.message}`);
    expect(message?.messageAttributes.kinds).toEqual({
      DataType: 'String.Array',
      StringValue: '["resolved"]',
    });
  });

  it('retries a run whose first SNS calls fail, and delivers the digest exactly once', async () => {
    // Prepare: the first two Publish calls answer 500
    const sandbox = await start(orgWorld(1, 2));
    sandbox.faults.failNext('sns:Publish', { times: 2 });

    // Act
    const report = await handlerOn(sandbox, { now: T0, attempts: 4 })(schedule, context);
    const rerun = await handlerOn(sandbox, { now: new Date(T0.getTime() + 3_600_000), attempts: 4 })(
      schedule,
      context,
    );

    // Assess
    expect(report.findings).toHaveLength(2);
    expect(rerun.findings).toHaveLength(2);
    expect(sandbox.log.calls('sns', 'Publish')).toBe(3);
    expect(sandbox.log.errors('InternalError')).toBe(2);
    expect(sandbox.published.sns).toHaveLength(1);
    expect(digestOf(sandbox.published.sns[0] as SnsMessage).counts).toEqual({
      new: 2,
      resolved: 0,
      reminder: 0,
    });
    expect(metricValues(sandbox, METRIC.alertFailures)).toEqual([0, 0]);
  });

  it('fails the invocation when SNS stays down, records nothing as notified, and the retry delivers', async () => {
    // Prepare: every Publish of the first invocation fails (3 attempts)
    const sandbox = await start(orgWorld(1, 2));
    sandbox.faults.failNext('sns:Publish', { times: 3 });

    // Act
    const failed = await handlerOn(sandbox, { now: T0 })(schedule, context).catch((e: unknown) => e);
    const stateAfterFailure = sandbox.dynamodb.items(STATE_TABLE);
    const retried = await handlerOn(sandbox, { now: new Date(T0.getTime() + 60_000) })(schedule, context);

    // Assess: loud failure, a metric for it, no heartbeat from that run, no notification recorded, no claim left
    expect(failed).toMatchObject({
      name: 'PublishError',
      message: expect.stringMatching(/alerts not delivered/),
    });
    expect(metricValues(sandbox, METRIC.alertFailures)).toEqual([1, 0]);
    expect(metricValues(sandbox, METRIC.runs)).toEqual([1]);
    expect(stateAfterFailure.map((item) => [item.status?.S, item.notifiedAt, item.claim])).toEqual([
      ['unnotified', undefined, undefined],
      ['unnotified', undefined, undefined],
    ]);
    // Assess: the retry (Lambda's, or the next schedule) sends the digest once
    expect(retried.findings).toHaveLength(2);
    expect(sandbox.published.sns).toHaveLength(1);
    expect(digestOf(sandbox.published.sns[0] as SnsMessage).counts.new).toBe(2);
  });

  it('reminds of findings still open after seven days', async () => {
    // Prepare
    const sandbox = await start(orgWorld(1, 1));
    await handlerOn(sandbox, { now: T0 })(schedule, context);

    // Act
    await handlerOn(sandbox, { now: new Date(T0.getTime() + 6 * DAY_MS) })(schedule, context);
    await handlerOn(sandbox, { now: new Date(T0.getTime() + 7 * DAY_MS) })(schedule, context);

    // Assess
    expect(sandbox.published.sns.map((m) => m.subject)).toEqual([
      'EKS OIDC audit: 1 new (worst: medium)',
      'EKS OIDC audit: 1 still open',
    ]);
    expect(JSON.parse(sandbox.published.sns[1]?.message ?? '{}').email).toContain('(7 days)');
  });

  it('touches neither alerts, state nor metrics on a dry run', async () => {
    // Prepare
    const sandbox = await start(orgWorld(1, 1));

    // Act
    const report = await handlerOn(sandbox, { now: T0 })({ trigger: 'manual', dryRun: true }, context);

    // Assess
    expect(report.findings).toHaveLength(1);
    expect(sandbox.log.calls('dynamodb')).toBe(0);
    expect(sandbox.log.calls('sns')).toBe(0);
    expect(sandbox.log.calls('cloudwatch')).toBe(0);
  });
});

describe('1,500 findings, end to end', () => {
  let sandbox: Sandbox;
  let report: Report;
  beforeAll(async () => {
    // Prepare: 250 accounts with 6 such roles each; per-account metrics on
    sandbox = await startSandbox(orgWorld(250, 6), { issuers: false });
    // Act
    report = await handlerOn(sandbox, { now: T0, env: { METRICS_PER_ACCOUNT: 'true' } })(schedule, context);
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('sends the metrics in PutMetricData calls within the limits', () => {
    // Assess: 251 accounts × 5 per-account points and the rest: more than 1,000, so two calls, each accepted
    expect(report.findings).toHaveLength(1500);
    const calls = sandbox.published.metrics.map((m) => m.metricData.length);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toBe(1000);
    expect(
      sandbox.published.metrics.every((m) => m.bytes <= 1_000_000 && m.namespace === 'EKS/OIDCAudit'),
    ).toBe(true);
    expect(sandbox.log.errors()).toBe(0);
    const perAccount = sandbox.published.metrics
      .flatMap((m) => m.metricData)
      .filter((d) => (d.Dimensions as { Name: string }[] | undefined)?.some((x) => x.Name === 'AccountId'));
    expect(perAccount).toHaveLength(251 * 5);
  });

  it('splits the digest into messages within the SNS limits, in which every finding appears once', () => {
    // Assess
    const messages = sandbox.published.sns;
    expect(messages.length).toBeGreaterThan(1);
    const digests = messages.map(digestOf);
    expect(new Set(digests.map((d) => d.digestId)).size).toBe(1);
    expect(digests.map((d) => d.part)).toEqual(digests.map((_, i) => i + 1));
    expect(digests.every((d) => d.parts === messages.length)).toBe(true);
    for (const message of messages) {
      expect(Buffer.byteLength(message.message)).toBeLessThanOrEqual(256 * 1024);
      expect((message.subject ?? '').length).toBeLessThan(100);
      expect(Object.keys(message.messageAttributes).length).toBeLessThanOrEqual(10);
    }
    const ids = digests.flatMap((d) => d.transitions.map((t) => t.finding.id));
    expect(ids).toHaveLength(1500);
    expect(new Set(ids)).toEqual(new Set(report.findings.map((f) => f.id)));
    const emails = messages.map((m) => JSON.parse(m.message).email as string).join('\n');
    for (const finding of report.findings) expect(emails.split(`Finding ${finding.id},`).length).toBe(2);
    // Assess: every finding recorded as notified
    const state = sandbox.dynamodb.items(STATE_TABLE);
    expect(state).toHaveLength(1500);
    expect(state.every((item) => item.status?.S === 'open' && item.claim === undefined)).toBe(true);
  });
});

describe('the CLI with --publish', () => {
  function stream(): NodeJS.WriteStream & { text(): string } {
    const s = new PassThrough() as unknown as NodeJS.WriteStream & { text(): string };
    let text = '';
    s.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    Object.assign(s, { isTTY: false, columns: 100, text: () => text });
    return s;
  }

  it('publishes as the Lambda does: one digest, then nothing new on a second run', async () => {
    // Prepare
    const sandbox = await start(orgWorld(1, 2));
    pointAt(sandbox);
    const cli = (now: Date) => {
      const io = {
        argv: [
          '--accounts',
          'org',
          '--regions',
          'us-east-1',
          '--publish',
          '--alert-topic-arn',
          TOPIC,
          '--alert-state-table',
          STATE_TABLE,
          '--alert-min-severity',
          'medium',
        ],
        env: { AWS_REGION: 'us-east-1' },
        stdout: stream(),
        stderr: stream(),
        version: '0.0.0-test',
        makeDeps: () => ({
          clients: createAwsClients(),
          prober: createIssuerProber({ trustedCAs: [sandbox.trustedCaPem] }),
          now: () => now,
          homeRegion: 'us-east-1',
        }),
        makePublishDeps: () => ({
          clients: sandboxPublishClients(sandbox),
          region: 'us-east-1',
          now: () => now,
        }),
      };
      return runCli(io).then((code) => ({ code, stderr: io.stderr.text() }));
    };

    // Act
    const first = await cli(T0);
    const second = await cli(new Date(T0.getTime() + DAY_MS));

    // Assess
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('published: ');
    expect(first.stderr).toContain('1 SNS message(s) with 2 new, 0 resolved, 0 reminder(s)');
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('no alert: nothing changed since the last notification');
    expect(sandbox.published.sns).toHaveLength(1);
    expect(metricValues(sandbox, METRIC.runs)).toEqual([1, 1]);
  });
});

describe('the reports in the stack bucket (REPORT_BUCKET)', () => {
  it('writes the JSON report gzipped and the HTML report under the run, and the digest links to them', async () => {
    // Prepare
    const sandbox = await start(orgWorld(2, 2));

    // Act
    const report = await handlerOn(sandbox, { now: T0, env: { REPORT_BUCKET } })(schedule, context);

    // Assess: both objects, under one prefix for the run
    const prefix = `reports/2026/11/22/${T0.toISOString().replace(/[:.]/g, '-')}-schedule/`;
    expect(sandbox.s3.keys(REPORT_BUCKET)).toEqual([`${prefix}report.html`, `${prefix}report.json.gz`]);
    const json = sandbox.s3.object(REPORT_BUCKET, `${prefix}report.json.gz`);
    const stored = JSON.parse(gunzipSync(json?.body ?? Buffer.alloc(0)).toString('utf8')) as Report;
    expect(stored.findings.map((f) => f.id)).toEqual(report.findings.map((f) => f.id));
    expect(stored.summary).toEqual(report.summary);
    const html = sandbox.s3.object(REPORT_BUCKET, `${prefix}report.html`);
    expect(html?.contentType).toBe('text/html; charset=utf-8');
    expect(html?.body.toString('utf8')).toBe([...htmlChunks(stored)].join(''));
    // Assess: the digest, in its email and JSON forms, links to them
    const [message] = sandbox.published.sns;
    const email = JSON.parse(message?.message ?? '{}').email as string;
    expect(email).toContain(
      `Full report: https://console.aws.amazon.com/s3/object/${REPORT_BUCKET}?region=us-east-1&bucketType=general&prefix=${encodeURIComponent(`${prefix}report.html`)}`,
    );
    expect(email).toContain(`JSON report: s3://${REPORT_BUCKET}/${prefix}report.json.gz`);
    expect(JSON.parse(JSON.parse(message?.message ?? '{}').default).reports.json.s3Uri).toBe(
      `s3://${REPORT_BUCKET}/${prefix}report.json.gz`,
    );
  });

  it('still alerts, without links, when the bucket cannot be written, and then fails the run naming it', async () => {
    // Prepare
    const sandbox = await start(orgWorld(1, 1));

    // Act
    const failure = await handlerOn(sandbox, { now: T0, env: { REPORT_BUCKET: 'no-such-report-bucket' } })(
      schedule,
      context,
    ).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'PublishError' });
    expect((failure as Error).message).toContain('reports not stored in no-such-report-bucket: NoSuchBucket');
    expect(sandbox.published.sns).toHaveLength(1);
    expect(JSON.parse(sandbox.published.sns[0]?.message ?? '{}').email).not.toContain('Full report:');
    // The audit ran and its alerts went out: the heartbeat says so; the failed run is what the Lambda retries.
    expect(metricValues(sandbox, METRIC.runs)).toEqual([1]);
  });
});
