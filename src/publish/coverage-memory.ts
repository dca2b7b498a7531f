// What earlier runs could see, kept in the alert state table beside the findings: one item per account
// (`coverage#<account>`) with the last time each of its regions was audited. An account × region audited before
// and blind now is a high audit-error (src/checks/audit-errors.ts): access that was lost must alert, not fade
// into a medium nobody is paged for. Items of accounts that left the scope expire after COVERAGE_TTL_DAYS.

import {
  type AttributeValue,
  type DynamoDBClient,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import type { Report } from '../report/types.ts';

export const COVERAGE_PREFIX = 'coverage#';
export const COVERAGE_TTL_DAYS = 90;

/** `<account>/<region>` → when it was last audited (ISO). */
export type AuditedBefore = ReadonlyMap<string, string>;

export interface CoverageMemory {
  load(): Promise<AuditedBefore>;
  /** Records what this run audited, keeping the dates of what it could not. */
  record(report: Report, before: AuditedBefore): Promise<void>;
}

export const pairKey = (accountId: string, region: string) => `${accountId}/${region}`;

/** Per account, the regions this run audited: EKS read, and the account's IAM too. */
export function auditedPairs(report: Report): Map<string, string[]> {
  const pairs = new Map<string, string[]>();
  for (const account of report.accounts) {
    if (account.providersAudited && account.rolesAudited && account.regionsAudited.length > 0) {
      pairs.set(account.accountId, account.regionsAudited);
    }
  }
  return pairs;
}

export class DynamoCoverageMemory implements CoverageMemory {
  private readonly client: DynamoDBClient;
  private readonly table: string;

  constructor(client: DynamoDBClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async load(): Promise<AuditedBefore> {
    const found = new Map<string, string>();
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.table,
          ConsistentRead: true,
          FilterExpression: 'begins_with(#id, :prefix)',
          ExpressionAttributeNames: { '#id': 'id' },
          ExpressionAttributeValues: { ':prefix': { S: COVERAGE_PREFIX } },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const accountId = item.id && 'S' in item.id ? item.id.S?.slice(COVERAGE_PREFIX.length) : undefined;
        const regions = item.regions && 'M' in item.regions ? item.regions.M : undefined;
        if (!accountId || !regions) continue;
        for (const [region, at] of Object.entries(regions)) {
          if ('S' in at && typeof at.S === 'string') found.set(pairKey(accountId, region), at.S);
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  async record(report: Report, before: AuditedBefore): Promise<void> {
    const at = report.startedAt;
    const expiresAt = Math.floor(Date.parse(at) / 1000) + COVERAGE_TTL_DAYS * 86_400;
    const limit = pLimit(16);
    await Promise.all(
      [...auditedPairs(report)].map(([accountId, regions]) =>
        limit(() => {
          const dates: Record<string, AttributeValue> = {};
          for (const [key, date] of before) {
            if (key.startsWith(`${accountId}/`)) dates[key.slice(accountId.length + 1)] = { S: date };
          }
          for (const region of regions) dates[region] = { S: at };
          return this.client.send(
            new PutItemCommand({
              TableName: this.table,
              Item: {
                id: { S: `${COVERAGE_PREFIX}${accountId}` },
                regions: { M: dates },
                expiresAt: { N: String(expiresAt) },
              },
            }),
          );
        }),
      ),
    );
  }
}
