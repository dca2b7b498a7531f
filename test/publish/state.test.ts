// The DynamoDB alert state store against the sandbox's DynamoDB (real SDK client, awsJson1_0 on the wire):
// conditional claims, confirms and releases, and a Scan that pages.
import {
  type AttributeValue,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertedFinding } from '../../src/publish/alerted-finding.ts';
import { type Claim, DynamoAlertStateStore, type TransitionKind } from '../../src/publish/state.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import type { Item } from '../sandbox/services/dynamodb.ts';
import { callerAccount, world } from '../sandbox/world-builders.ts';
import { aFinding, STATE_TABLE, T0 } from './support.ts';

let sandbox: Sandbox;
let client: DynamoDBClient;
let store: DynamoAlertStateStore;
let tableNumber = 0;

// Written as the world's rather than by 1,200 PutItem calls, which took most of this file's time.
const SCANNED_TABLE = `${STATE_TABLE}-scanned`;

/** An open, notified alert state item of about 1.2 KB, as the store writes it. */
function openItem(i: number): Item {
  const f = alertedFinding(aFinding(`role-${i}`, { message: 'x'.repeat(1000) }));
  return {
    id: { S: f.id },
    status: { S: 'open' },
    version: { N: '2' },
    check: { S: f.check },
    severity: { S: f.severity },
    accountId: { S: f.accountId },
    region: { NULL: true },
    resource: { S: f.resource },
    cluster: { NULL: true },
    message: { S: f.message },
    remediation: { S: f.remediation },
  };
}

beforeAll(async () => {
  const tables = [
    ...Array.from({ length: 12 }, (_, i) => ({ name: `${STATE_TABLE}-${i}` })),
    { name: SCANNED_TABLE, items: Array.from({ length: 1200 }, (_, i) => openItem(i)) },
  ];
  sandbox = await startSandbox(world([callerAccount()], { dynamodbTables: tables }), { issuers: false });
  client = new DynamoDBClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(() => {
  // Prepare: each test gets an empty table of its own
  store = new DynamoAlertStateStore(client, `${STATE_TABLE}-${tableNumber++}`);
});

const finding = alertedFinding(aFinding('app'));
const claimOf = (digestId: string, kind: TransitionKind = 'new'): Claim => ({
  digestId,
  kind,
  expiresAt: new Date(T0.getTime() + 20 * 60_000).toISOString(),
});

/** Claims `finding` as new in digest d1 and confirms it sent: an open, notified item. Its claimed version. */
async function openAndNotified(): Promise<number> {
  const version = (await store.claim({
    kind: 'new',
    finding,
    expectedVersion: null,
    claim: claimOf('d1'),
    now: T0,
  })) as number;
  await store.confirm({
    kind: 'new',
    findingId: finding.id,
    version,
    digestId: 'd1',
    now: T0,
    observedAt: T0.toISOString(),
  });
  return version;
}

describe('DynamoAlertStateStore', () => {
  it('claims a new finding once: a second claim of the same item loses', async () => {
    // Act
    const first = await store.claim({
      kind: 'new',
      finding,
      expectedVersion: null,
      claim: claimOf('d1'),
      now: T0,
    });
    const second = await store.claim({
      kind: 'new',
      finding,
      expectedVersion: null,
      claim: claimOf('d2'),
      now: T0,
    });

    // Assess
    expect(first).toBe(1);
    expect(second).toBeNull();
    const [item] = await store.load();
    expect(item).toMatchObject({
      id: finding.id,
      status: 'unnotified',
      version: 1,
      claim: { digestId: 'd1', kind: 'new' },
      check: 'trust-no-sub',
      region: null,
      cluster: null,
    });
    expect(sandbox.log.errors('ConditionalCheckFailedException')).toBeGreaterThan(0);
  });

  it('confirms a delivered claim: open, notified, no claim; the version moves on', async () => {
    // Prepare
    const version = await store.claim({
      kind: 'new',
      finding,
      expectedVersion: null,
      claim: claimOf('d1'),
      now: T0,
    });

    // Act
    const confirmed = await store.confirm({
      kind: 'new',
      findingId: finding.id,
      version: version ?? -1,
      digestId: 'd1',
      now: T0,
      observedAt: T0.toISOString(),
    });

    // Assess
    expect(confirmed).toBe(true);
    const [item] = await store.load();
    expect(item).toEqual({
      ...finding,
      status: 'open',
      notifiedAt: T0.toISOString(),
      openedAt: T0.toISOString(),
      observedAt: T0.toISOString(),
      version: 2,
    });
  });

  it('releases an undelivered claim without recording a notification', async () => {
    // Prepare
    const version = await store.claim({
      kind: 'new',
      finding,
      expectedVersion: null,
      claim: claimOf('d1'),
      now: T0,
    });

    // Act
    const released = await store.release({ findingId: finding.id, version: version ?? -1, digestId: 'd1' });

    // Assess
    expect(released).toBe(true);
    const [item] = await store.load();
    expect(item).toMatchObject({ status: 'unnotified', version: 2 });
    expect(item?.claim).toBeUndefined();
    expect(item?.notifiedAt).toBeUndefined();
  });

  it('refuses to confirm or release a claim that is not this digest’s, or a stale version', async () => {
    // Prepare
    const version = (await store.claim({
      kind: 'new',
      finding,
      expectedVersion: null,
      claim: claimOf('d1'),
      now: T0,
    })) as number;

    // Act
    const otherDigest = await store.confirm({
      kind: 'new',
      findingId: finding.id,
      version,
      digestId: 'd2',
      now: T0,
      observedAt: T0.toISOString(),
    });
    const staleRelease = await store.release({ findingId: finding.id, version: version - 1, digestId: 'd1' });
    const staleRefresh = await store.refresh({
      finding: { ...finding, severity: 'low' },
      expectedVersion: 0,
    });

    // Assess
    expect([otherDigest, staleRelease, staleRefresh]).toEqual([false, false, false]);
    const [item] = await store.load();
    expect(item).toMatchObject({
      status: 'unnotified',
      version,
      severity: 'critical',
      claim: { digestId: 'd1' },
    });
  });

  it('stores a finding muted after it was alerted as not notified, silently, keeping its version chain', async () => {
    // Prepare: an open, notified finding
    const v1 = await openAndNotified();

    // Act
    const written = await store.refresh({ finding, expectedVersion: v1 + 1, status: 'unnotified' });

    // Assess
    const [item] = await store.load();
    expect(written).toBe(true);
    expect(item).toMatchObject({ status: 'unnotified', version: v1 + 2 });
  });

  it('records a resolution with its time and a TTL, and keeps the text that was alerted', async () => {
    // Prepare: an open, notified finding
    const v1 = await openAndNotified();
    const later = new Date(T0.getTime() + 86_400_000);

    // Act
    const v3 = (await store.claim({
      kind: 'resolved',
      finding: { ...finding, message: 'not used for a resolution' },
      expectedVersion: v1 + 1,
      claim: claimOf('d2', 'resolved'),
      now: later,
    })) as number;
    await store.confirm({
      kind: 'resolved',
      findingId: finding.id,
      version: v3,
      digestId: 'd2',
      now: later,
      observedAt: later.toISOString(),
    });

    // Assess
    const [item] = await store.load();
    expect(item).toMatchObject({
      status: 'resolved',
      resolvedAt: later.toISOString(),
      notifiedAt: later.toISOString(),
      openedAt: T0.toISOString(),
      message: finding.message,
      version: 4,
    });
    const [raw] = sandbox.dynamodb.items(store.table);
    expect(Number(raw?.expiresAt?.N)).toBe(Math.floor(later.getTime() / 1000) + 180 * 86_400);
  });

  it('loads what this version can read: a whole claim only, missing text as empty; not an unknown status', async () => {
    // Prepare: items as an older or a newer version may have left them
    const put = (id: string, fields: Record<string, AttributeValue>) =>
      client.send(new PutItemCommand({ TableName: store.table, Item: { id: { S: id }, ...fields } }));
    const claim = claimOf('d1');
    await put('claimed', {
      status: { S: 'unnotified' },
      version: { N: '1' },
      claim: {
        M: { digestId: { S: claim.digestId }, kind: { S: claim.kind }, expiresAt: { S: claim.expiresAt } },
      },
    });
    await put('half-claimed', {
      status: { S: 'open' },
      version: { N: '3' },
      claim: { M: { digestId: { S: 'd2' } } },
    });
    await put('unknown-status', { status: { S: 'snoozed' }, version: { N: '1' } });
    await put('no-version', { status: { S: 'open' } });

    // Act
    const loaded = await store.load();

    // Assess
    expect(loaded.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      {
        id: 'claimed',
        status: 'unnotified',
        check: 'audit-error',
        severity: 'info',
        accountId: '',
        region: null,
        resource: '',
        cluster: null,
        message: '',
        remediation: '',
        version: 1,
        claim,
      },
      expect.not.objectContaining({ claim: expect.anything() }),
    ]);
    expect(loaded[1]).toMatchObject({ id: 'half-claimed', status: 'open', version: 3 });
  });

  it('loads every item through Scan pages of 1 MB', async () => {
    // Prepare: the world's table of 1,200 items of about 1.2 KB each (1.4 MB)
    store = new DynamoAlertStateStore(client, SCANNED_TABLE);
    const scansBefore = sandbox.log.calls('dynamodb', 'Scan');

    // Act
    const loaded = await store.load();

    // Assess
    expect(loaded).toHaveLength(1200);
    expect(new Set(loaded.map((s) => s.id)).size).toBe(1200);
    expect(sandbox.log.calls('dynamodb', 'Scan') - scansBefore).toBe(2);
  });
});

describe('the sandbox DynamoDB', () => {
  it('answers an unknown table with ResourceNotFoundException and unused placeholders with ValidationException', async () => {
    // Act
    const missing = await new DynamoAlertStateStore(client, 'no-such-table').load().catch((e: unknown) => e);
    const unused = await client
      .send(
        new UpdateItemCommand({
          TableName: store.table,
          Key: { id: { S: 'x' } },
          UpdateExpression: 'SET #a = :a',
          ExpressionAttributeNames: { '#a': 'a', '#b': 'b' },
          ExpressionAttributeValues: { ':a': { S: '1' } },
        }),
      )
      .catch((e: unknown) => e);

    // Assess
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(unused).toMatchObject({ name: 'ValidationException' });
    expect(sandbox.dynamodb.items(store.table)).toEqual([]);
  });
});
