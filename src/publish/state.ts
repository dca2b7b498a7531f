// Alert state: what subscribers were last told about each finding, kept between runs in a DynamoDB table, so
// that alerts follow transitions (new, resolved, still open after N days) instead of repeating every finding on
// every run.
//
// How a rerun, an overlapping manual run or a Lambda retry never alerts twice and never loses a transition:
//
// One item per finding (key `id` = the finding's stable id). `status` is what subscribers were last told
// (`open`, `resolved`, or `unnotified` for an item created by a claim that was never delivered); `notifiedAt` is
// when; `version` increments on every write, and every write is conditional on the version it read
// (optimistic concurrency). A run goes:
//   1. load: read every item (Scan);
//   2. plan (pure, alert-plan.ts): which findings changed since what subscribers were told;
//   3. claim: for each transition, one conditional UpdateItem (version = what was read, or the item does not
//      exist) that records `claim = { digestId, kind, expiresAt }`. A run that loses the condition drops that
//      transition: the run that won it sends it. Two overlapping runs therefore never both send a transition;
//   4. deliver: publish the digest to SNS (the claimed transitions only; alert-delivery.ts runs 3 to 5);
//   5. settle: confirm the claims of the messages SNS accepted (status, notifiedAt; claim removed), and release the
//      claims of those it did not (claim removed, status untouched). A failed publish therefore records nothing
//      as notified, and the next run (or the Lambda's retry) finds the same transitions again.
// A write that fails past the SDK's retries fails alone (each transition is settled on its own):
//   - claim: that transition is not sent; its claim is released in case the write landed unanswered, and the
//     run fails so that the Lambda's retry sends it (and only it: everything else was sent and confirmed);
//   - SNS publish of part k: parts k..n are not sent, their claims released, the run fails;
//   - confirm: the message went out, the claim stays and expires: sent once more later (at least once);
//   - release: the claim stays and expires: the transition is sent by a run after CLAIM_TTL_MS.
// A run that dies between 3 and 5 leaves claims behind; they expire (CLAIM_TTL_MS, longer than the Lambda's
// 15-minute limit) and the next run treats them as never sent. The one window left is a crash after SNS
// accepted a message and before its confirm: the transition is sent again by the next run (at least once,
// never lost). SNS standard topics cannot deduplicate; subscribers can, by each transition's `transitionId`,
// which is the same when a transition is sent again.
// Ordering: `observedAt` is the start of the audit whose findings subscribers were last told about; a run whose
// audit started earlier (a slow run overtaken by a faster one) leaves that item alone, so an older report never
// overrides a newer one.
// Resolved items expire through the table's TTL (`expiresAt`, epoch seconds) RESOLVED_TTL_DAYS after
// resolution; a finding that comes back after that is simply new again.

import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { CheckId, Severity } from '../model/finding.ts';
import { ALERTED_FIELDS, type AlertedFinding } from './alerted-finding.ts';

/** Longer than a Lambda invocation can live (15 minutes), so an expired claim's run is surely gone. */
export const CLAIM_TTL_MS = 20 * 60 * 1000;
export const RESOLVED_TTL_DAYS = 180;
/** Unnotified items (a claim never delivered, for a finding that then went away) are cleaned up after this. */
export const UNNOTIFIED_TTL_DAYS = 30;

export type TransitionKind = 'new' | 'resolved' | 'reminder';
export type NotifiedStatus = 'open' | 'resolved' | 'unnotified';

export interface Claim {
  digestId: string;
  kind: TransitionKind;
  /** ISO time after which the claim counts as abandoned. */
  expiresAt: string;
}

export interface StoredFinding extends AlertedFinding {
  status: NotifiedStatus;
  /** When subscribers were last told about this finding (new, reminder or resolved). */
  notifiedAt?: string;
  /** When it was last alerted as new: "open since". */
  openedAt?: string;
  resolvedAt?: string;
  /** Start of the audit whose result subscribers were last told. */
  observedAt?: string;
  version: number;
  claim?: Claim;
}

/** Where a claim is recorded, and what the item was when the plan was made. */
export interface ClaimRequest {
  kind: TransitionKind;
  finding: AlertedFinding;
  /** The version read; null when the item did not exist. */
  expectedVersion: number | null;
  claim: Claim;
  now: Date;
}

export interface ConfirmRequest {
  kind: TransitionKind;
  findingId: string;
  /** The version the claim wrote. */
  version: number;
  digestId: string;
  now: Date;
  /** Start of the audit that found the transition. */
  observedAt: string;
}

export interface ReleaseRequest {
  findingId: string;
  version: number;
  digestId: string;
}

export interface RefreshRequest {
  finding: AlertedFinding;
  expectedVersion: number;
  /**
   * `unnotified`: the finding was muted as an accepted risk after subscribers were told of it. Stored so, it is
   * alerted as new once its entry expires, like a finding muted from the start.
   */
  status?: 'unnotified';
}

/**
 * The state behind alerts. Every write is conditional: a method returns false (or null) when another run changed
 * the item since it was read, and throws only when the store itself failed.
 */
export interface AlertStateStore {
  load(): Promise<StoredFinding[]>;
  /** Records the claim; the new version, or null when another run changed the item first. */
  claim(request: ClaimRequest): Promise<number | null>;
  /** The transition was delivered: record it as notified and drop the claim. */
  confirm(request: ConfirmRequest): Promise<boolean>;
  /** The transition was not delivered: drop the claim, leaving what subscribers were told unchanged. */
  release(request: ReleaseRequest): Promise<boolean>;
  /** Keeps an open finding's fields current (severity, message) without a transition. */
  refresh(request: RefreshRequest): Promise<boolean>;
}

// ---- DynamoDB ------------------------------------------------------------------------------------------

/** Every alerted field but the key. */
const FIELDS = ALERTED_FIELDS.filter((field) => field !== 'id');

const str = (value: string): AttributeValue => ({ S: value });
const num = (value: number): AttributeValue => ({ N: String(value) });
const strOrNull = (value: string | null): AttributeValue => (value === null ? { NULL: true } : { S: value });
const epochSeconds = (date: Date, plusDays = 0): number =>
  Math.floor(date.getTime() / 1000) + Math.round(plusDays * 86_400);

function readString(item: Record<string, AttributeValue>, name: string): string | undefined {
  const value = item[name];
  return value && 'S' in value && typeof value.S === 'string' ? value.S : undefined;
}

function readNullable(item: Record<string, AttributeValue>, name: string): string | null {
  return readString(item, name) ?? null;
}

const STATUSES: readonly string[] = ['open', 'resolved', 'unnotified'] satisfies NotifiedStatus[];

/** An item as stored, or undefined for one this version cannot read (left alone, never alerted). */
export function fromItem(item: Record<string, AttributeValue>): StoredFinding | undefined {
  const id = readString(item, 'id');
  const status = readString(item, 'status');
  const version = item.version && 'N' in item.version ? Number(item.version.N) : Number.NaN;
  if (!id || !status || !STATUSES.includes(status) || !Number.isInteger(version)) return undefined;
  const claim = readClaim(item);
  const optional = (name: string) => {
    const value = readString(item, name);
    return value === undefined ? {} : { [name]: value };
  };
  return {
    id,
    status: status as NotifiedStatus,
    ...readAlerted(item),
    ...optional('notifiedAt'),
    ...optional('openedAt'),
    ...optional('resolvedAt'),
    ...optional('observedAt'),
    version,
    ...(claim ? { claim } : {}),
  };
}

/** The alerted fields but the key; a field missing from an older item reads as empty. */
function readAlerted(item: Record<string, AttributeValue>): Omit<AlertedFinding, 'id'> {
  return {
    check: (readString(item, 'check') ?? 'audit-error') as CheckId,
    severity: (readString(item, 'severity') ?? 'info') as Severity,
    accountId: readString(item, 'accountId') ?? '',
    region: readNullable(item, 'region'),
    resource: readString(item, 'resource') ?? '',
    cluster: readNullable(item, 'cluster'),
    message: readString(item, 'message') ?? '',
    remediation: readString(item, 'remediation') ?? '',
  };
}

/** The claim, when the item has a whole one. */
function readClaim(item: Record<string, AttributeValue>): Claim | undefined {
  const map = item.claim && 'M' in item.claim ? item.claim.M : undefined;
  if (!map) return undefined;
  const digestId = readString(map, 'digestId');
  const kind = readString(map, 'kind');
  const expiresAt = readString(map, 'expiresAt');
  return digestId && kind && expiresAt ? { digestId, kind: kind as TransitionKind, expiresAt } : undefined;
}

/** Builds `SET #a = :a, ...` / `REMOVE #b` with every name and value as a placeholder (no reserved-word traps). */
class Update {
  private readonly sets: string[] = [];
  private readonly removes: string[] = [];
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};

  name(attribute: string): string {
    const placeholder = `#${attribute}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }
  value(key: string, value: AttributeValue): string {
    const placeholder = `:${key}`;
    this.values[placeholder] = value;
    return placeholder;
  }
  set(attribute: string, value: AttributeValue): this {
    this.sets.push(`${this.name(attribute)} = ${this.value(attribute, value)}`);
    return this;
  }
  remove(attribute: string): this {
    this.removes.push(this.name(attribute));
    return this;
  }
  expression(): string {
    return [
      this.sets.length > 0 ? `SET ${this.sets.join(', ')}` : '',
      this.removes.length > 0 ? `REMOVE ${this.removes.join(', ')}` : '',
    ]
      .filter((part) => part !== '')
      .join(' ');
  }
}

function setFields(update: Update, finding: AlertedFinding): void {
  for (const field of FIELDS) {
    const value = finding[field];
    update.set(field, field === 'region' || field === 'cluster' ? strOrNull(value) : str(value as string));
  }
}

export class DynamoAlertStateStore implements AlertStateStore {
  private readonly client: DynamoDBClient;
  readonly table: string;

  constructor(client: DynamoDBClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async load(): Promise<StoredFinding[]> {
    const found: StoredFinding[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({ TableName: this.table, ConsistentRead: true, ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? []) {
        const stored = fromItem(item);
        if (stored) found.push(stored);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  async claim(request: ClaimRequest): Promise<number | null> {
    const update = new Update();
    const version = (request.expectedVersion ?? 0) + 1;
    update.set('claim', {
      M: {
        digestId: str(request.claim.digestId),
        kind: str(request.claim.kind),
        expiresAt: str(request.claim.expiresAt),
      },
    });
    update.set('version', num(version));
    // New and reminder carry the finding as the report has it now; a resolution keeps what was stored.
    if (request.kind !== 'resolved') setFields(update, request.finding);
    let condition: string;
    if (request.expectedVersion === null) {
      update.set('status', str('unnotified'));
      update.set('expiresAt', num(epochSeconds(request.now, UNNOTIFIED_TTL_DAYS)));
      condition = `attribute_not_exists(${update.name('id')})`;
    } else {
      condition = `${update.name('version')} = ${update.value('expected', num(request.expectedVersion))}`;
    }
    const won = await this.write(request.finding.id, update, condition);
    return won ? version : null;
  }

  async confirm(request: ConfirmRequest): Promise<boolean> {
    const update = new Update();
    update.set('notifiedAt', str(request.now.toISOString()));
    update.set('observedAt', str(request.observedAt));
    update.set('version', num(request.version + 1));
    update.remove('claim');
    if (request.kind === 'resolved') {
      update.set('status', str('resolved'));
      update.set('resolvedAt', str(request.now.toISOString()));
      update.set('expiresAt', num(epochSeconds(request.now, RESOLVED_TTL_DAYS)));
    } else {
      update.set('status', str('open'));
      if (request.kind === 'new') update.set('openedAt', str(request.now.toISOString()));
      update.remove('resolvedAt');
      update.remove('expiresAt');
    }
    return this.write(request.findingId, update, this.claimedBy(update, request.version, request.digestId));
  }

  async release(request: ReleaseRequest): Promise<boolean> {
    const update = new Update();
    update.set('version', num(request.version + 1));
    update.remove('claim');
    return this.write(request.findingId, update, this.claimedBy(update, request.version, request.digestId));
  }

  async refresh(request: RefreshRequest): Promise<boolean> {
    const update = new Update();
    setFields(update, request.finding);
    if (request.status) update.set('status', str(request.status));
    update.set('version', num(request.expectedVersion + 1));
    const condition = `${update.name('version')} = ${update.value('expected', num(request.expectedVersion))}`;
    return this.write(request.finding.id, update, condition);
  }

  private claimedBy(update: Update, version: number, digestId: string): string {
    return (
      `${update.name('version')} = ${update.value('expected', num(version))} AND ` +
      `${update.name('claim')}.${update.name('digestId')} = ${update.value('digest', str(digestId))}`
    );
  }

  private async write(id: string, update: Update, condition: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { id: str(id) },
          UpdateExpression: update.expression(),
          ConditionExpression: condition,
          ExpressionAttributeNames: update.names,
          ExpressionAttributeValues: update.values,
        }),
      );
      return true;
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === 'ConditionalCheckFailedException'
      ) {
        return false;
      }
      throw error;
    }
  }
}
