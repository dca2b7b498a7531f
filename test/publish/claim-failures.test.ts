// One alert-state write failing past its retries must not cost the rest: every transition is either sent and
// recorded, or left for the retry, which then sends exactly those.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.ts';
import { PublishError, publishReport } from '../../src/publish/index.ts';
import { type AlertStateStore, DynamoAlertStateStore } from '../../src/publish/state.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { callerAccount, world } from '../sandbox/world-builders.ts';
import { aFinding, aReport, STATE_TABLE, sandboxPublishClients, T0, TOPIC_ARN } from './support.ts';

type Method = 'claim' | 'confirm' | 'release';

/** The real store, with the `nth` call of one method failing as a DynamoDB outage past its retries would. */
function failingOnce(store: AlertStateStore, method: Method, nth: number): AlertStateStore {
  let calls = 0;
  const wrapped = Object.create(store) as AlertStateStore;
  (wrapped as unknown as Record<Method, unknown>)[method] = async (request: never) => {
    if (++calls === nth)
      throw Object.assign(new Error('Service unavailable (injected)'), { name: 'ServiceUnavailable' });
    return (store[method] as (r: never) => Promise<unknown>).call(store, request);
  };
  return wrapped;
}

const FINDINGS = Array.from({ length: 10 }, (_, i) => aFinding(`role-${i}`));
let sandbox: Sandbox;
let tables = 0;

beforeAll(async () => {
  const names = Array.from({ length: 6 }, (_, i) => ({ name: `${STATE_TABLE}-${i}` }));
  sandbox = await startSandbox(world([callerAccount()], { dynamodbTables: names, snsTopics: [TOPIC_ARN] }), {
    issuers: false,
  });
});
afterAll(async () => {
  await sandbox?.stop();
});

async function publishTwice(method: Method, nth: number) {
  const table = `${STATE_TABLE}-${tables++}`;
  const clients = sandboxPublishClients(sandbox, 1);
  const store = new DynamoAlertStateStore(
    new DynamoDBClient({ ...sandbox.clientConfig(), maxAttempts: 1 }),
    table,
  );
  const config = resolveConfig('schedule', { alertTopicArn: TOPIC_ARN, alertStateTable: table });
  const deps = (at: Date, withStore: AlertStateStore) => ({
    clients,
    region: 'us-east-1',
    now: () => at,
    store: withStore,
  });

  // Act: the run with the failing write, then the Lambda's retry a minute later
  const first = await publishReport(
    aReport({ findings: FINDINGS, startedAt: T0 }),
    config,
    deps(T0, failingOnce(store, method, nth)),
  ).catch((error: unknown) => error);
  const retryAt = new Date(T0.getTime() + 60_000);
  const second = await publishReport(
    aReport({ findings: FINDINGS, startedAt: retryAt }),
    config,
    deps(retryAt, store),
  );
  const items = await store.load();
  return { first, second, items };
}

describe('a failing alert-state write', () => {
  it('claim: the other 9 are sent, the run fails, and its retry sends exactly the one left', async () => {
    // Act
    const { first, second, items } = await publishTwice('claim', 4);

    // Assess: the first run sent 9 and failed, so that Lambda retries it
    expect(first).toBeInstanceOf(PublishError);
    expect((first as PublishError).outcome.alerts).toMatchObject({
      status: 'failed',
      delivered: { new: 9, resolved: 0, reminder: 0 },
      undelivered: 1,
    });
    // Assess: the retry sent the tenth, alone
    expect(second.alerts).toMatchObject({ status: 'sent', delivered: { new: 1, resolved: 0, reminder: 0 } });
    expect(items.filter((item) => item.status === 'open')).toHaveLength(10);
    expect(items.filter((item) => item.claim)).toEqual([]);
  });

  it('release after a refused publish: the retry is not blocked by the claims that were released', async () => {
    // Prepare: SNS refuses the first message, so every claim is released; one release fails
    sandbox.faults.failNext('sns:Publish', { error: 'unavailable' });

    // Act
    const { first, second } = await publishTwice('release', 3);

    // Assess: nothing was recorded as sent; the retry sends all but the one whose claim could not be released
    expect(first).toBeInstanceOf(PublishError);
    expect((first as PublishError).outcome.alerts.delivered.new).toBe(0);
    expect(second.alerts.delivered.new).toBe(9);
    expect(second.alerts.skipped?.busy).toBe(1);
  });

  it('confirm: the digest went out; only that finding stays claimed until its claim expires', async () => {
    // Act
    const { first, second, items } = await publishTwice('confirm', 2);

    // Assess: delivered once, recorded for 9; the tenth is neither lost nor sent twice within the claim's life
    expect(first).not.toBeInstanceOf(Error);
    expect(second.alerts.status).toBe('unchanged');
    expect(second.alerts.skipped?.busy).toBe(1);
    expect(items.filter((item) => item.status === 'open')).toHaveLength(9);
  });
});
