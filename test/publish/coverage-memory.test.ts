// The coverage memory in the alert state table (sandbox DynamoDB, real SDK client): what each run audited, kept
// beside the findings without disturbing them.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertedFinding } from '../../src/publish/alerted-finding.ts';
import { DynamoCoverageMemory } from '../../src/publish/coverage-memory.ts';
import { DynamoAlertStateStore } from '../../src/publish/state.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { callerAccount, world } from '../sandbox/world-builders.ts';
import { ACCOUNT, aFinding, aReport, OTHER_ACCOUNT, STATE_TABLE, T0 } from './support.ts';

let sandbox: Sandbox;
let client: DynamoDBClient;

beforeAll(async () => {
  sandbox = await startSandbox(world([callerAccount()], { dynamodbTables: [{ name: STATE_TABLE }] }), {
    issuers: false,
  });
  client = new DynamoDBClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('DynamoCoverageMemory', () => {
  it('records what a run audited, keeps the dates of what a later run could not, and leaves findings alone', async () => {
    // Prepare: a finding in the alert state, and a first run that read both accounts in two regions
    const memory = new DynamoCoverageMemory(client, STATE_TABLE);
    const alerts = new DynamoAlertStateStore(client, STATE_TABLE);
    await alerts.claim({
      kind: 'new',
      finding: alertedFinding(aFinding('app')),
      expectedVersion: null,
      claim: { digestId: 'd', kind: 'new', expiresAt: T0.toISOString() },
      now: T0,
    });
    const first = aReport({
      startedAt: T0,
      accounts: [ACCOUNT, OTHER_ACCOUNT],
      regions: ['us-east-1', 'eu-west-1'],
    });
    await memory.record(first, await memory.load());

    // Act: a second run a day later that read only us-east-1 of OTHER_ACCOUNT
    const later = new Date(T0.getTime() + 86_400_000);
    const second = aReport({
      startedAt: later,
      accounts: [ACCOUNT, OTHER_ACCOUNT],
      regions: ['us-east-1', 'eu-west-1'],
    });
    const other = second.accounts.find((a) => a.accountId === OTHER_ACCOUNT);
    if (other) other.regionsAudited = ['us-east-1'];
    await memory.record(second, await memory.load());
    const dates = await memory.load();

    // Assess
    expect(Object.fromEntries(dates)).toEqual({
      [`${ACCOUNT}/us-east-1`]: later.toISOString(),
      [`${ACCOUNT}/eu-west-1`]: later.toISOString(),
      [`${OTHER_ACCOUNT}/us-east-1`]: later.toISOString(),
      [`${OTHER_ACCOUNT}/eu-west-1`]: T0.toISOString(),
    });
    expect((await alerts.load()).map((item) => item.id)).toEqual([aFinding('app').id]);
  });
});
