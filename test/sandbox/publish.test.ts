import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from './server.ts';
import { CALLER_ID, callerAccount, world } from './world-builders.ts';

const TOPIC = `arn:aws:sns:us-east-1:${CALLER_ID}:oidc-alerts`;

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

function datums(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    MetricName: 'Findings',
    Dimensions: [
      { Name: 'AccountId', Value: '123456789012' },
      { Name: 'Check', Value: `check-${i}` },
    ],
    Value: i,
    Unit: 'Count' as const,
  }));
}

describe('sns:Publish', () => {
  it('records the message with its subject, structure and attributes', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount()], { snsTopics: [TOPIC] }), { issuers: false });
    const client = new SNSClient({ ...sandbox.clientConfig(), maxAttempts: 1 });

    // Act
    const sent = await client.send(
      new PublishCommand({
        TopicArn: TOPIC,
        Subject: 'EKS OIDC audit: 2 critical',
        Message: JSON.stringify({ default: 'two findings', email: 'two findings, long form' }),
        MessageStructure: 'json',
        MessageAttributes: { severity: { DataType: 'String', StringValue: 'critical' } },
      }),
    );

    // Assess
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sandbox.published.sns).toEqual([
      {
        account: CALLER_ID,
        region: 'us-east-1',
        topicArn: TOPIC,
        subject: 'EKS OIDC audit: 2 critical',
        message: '{"default":"two findings","email":"two findings, long form"}',
        messageStructure: 'json',
        messageAttributes: { severity: { DataType: 'String', StringValue: 'critical' } },
        messageId: sent.MessageId,
      },
    ]);
  });

  it.each([
    ['a subject with a line break', { Subject: 'two\nlines', Message: 'x' }, 'InvalidParameterException'],
    [
      'a json structure without default',
      { MessageStructure: 'json', Message: '{"email":"x"}' },
      'InvalidParameterException',
    ],
    ['an unknown topic', { TopicArn: `${TOPIC}-nope`, Message: 'x' }, 'NotFoundException'],
  ])('rejects %s as SNS does', async (_case, input, name) => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount()], { snsTopics: [TOPIC] }), { issuers: false });
    const client = new SNSClient({ ...sandbox.clientConfig(), maxAttempts: 1 });

    // Act
    const error = await client
      .send(new PublishCommand({ TopicArn: TOPIC, ...input }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name });
    expect(sandbox.published.sns).toEqual([]);
  });
});

describe('cloudwatch:PutMetricData', () => {
  it('accepts a small body and a gzip-compressed large one', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount()]), { issuers: false });
    const client = new CloudWatchClient({ ...sandbox.clientConfig(), maxAttempts: 1 });

    // Act
    await client.send(new PutMetricDataCommand({ Namespace: 'EKS/OIDCAudit', MetricData: datums(1) }));
    await client.send(new PutMetricDataCommand({ Namespace: 'EKS/OIDCAudit', MetricData: datums(1000) }));

    // Assess
    expect(sandbox.published.metrics.map((m) => [m.metricData.length, m.gzip])).toEqual([
      [1, false],
      [1000, true],
    ]);
    expect(sandbox.published.metrics[1]?.metricData[999]).toMatchObject({
      MetricName: 'Findings',
      Value: 999,
    });
    expect(sandbox.log.calls('cloudwatch', 'PutMetricData')).toBe(2);
  });

  it('rejects more than 1,000 data points in one call with InvalidParameterValue', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount()]), { issuers: false });
    const client = new CloudWatchClient({ ...sandbox.clientConfig(), maxAttempts: 1 });

    // Act
    const error = await client
      .send(new PutMetricDataCommand({ Namespace: 'EKS/OIDCAudit', MetricData: datums(1001) }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({
      name: 'InvalidParameterValueException',
      $metadata: { httpStatusCode: 400 },
    });
    expect((error as { Code?: string }).Code).toBe('InvalidParameterValue');
    expect(sandbox.published.metrics).toEqual([]);
  });

  it('rejects a request over 1 MB with 413 RequestEntityTooLarge', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount()]), { issuers: false });
    const client = new CloudWatchClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
    const wide = datums(900).map((d) => ({ ...d, Dimensions: [{ Name: 'Blob', Value: 'x'.repeat(1200) }] }));

    // Act
    const error = await client
      .send(new PutMetricDataCommand({ Namespace: 'EKS/OIDCAudit', MetricData: wide }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'RequestEntityTooLarge', $metadata: { httpStatusCode: 413 } });
  });
});
