// The merge of an audit's shards (docs/fan-out.md): the parts of one run and one split, each checked against the
// split as it is read, joined into the scope and inventory one run over every account would have read. An
// account of the split that no part holds stays in scope, named, so that it can never raise the coverage by
// vanishing from it.

import type { Shard } from '../config/input.ts';
import type { AuditError, Inventory } from '../model/inventory.ts';
import { shardOf } from '../scope/resolve.ts';
import type { Split } from '../scope/split.ts';
import type { Scope } from '../scope/types.ts';
import { compareText } from '../text/compare.ts';
import type { InventoryPart, NamedPart } from './part.ts';

/** A shard that failed after its retries (the fan-out's state machine): its accounts are named, not dropped. */
export interface FailedShard {
  shard: Shard;
  reason: string;
}

/** What every part must be of: the plan's run and split, or without a plan (the CLI), the first part's. */
export interface PartsOf {
  runId?: string;
  split: Split;
}

const describeRun = (runId: string | undefined) =>
  runId === undefined ? 'no run (a CLI shard)' : `run ${runId}`;
const describeSplit = (split: Split) =>
  `split ${split.fingerprint} (${split.accounts.length} accounts in ${split.count} shards)`;

/**
 * Throws naming the part when it is of another run or split, or holds an account its shard of the split does not:
 * joined, such parts would judge another organization than the one planned.
 */
export function checkPart({ source, part }: NamedPart, of: PartsOf): void {
  const where = `part ${source} (shard ${part.shard.index}/${part.shard.count})`;
  if (part.runId !== of.runId)
    throw new Error(
      `${where} is of ${describeRun(part.runId)}, not of ${describeRun(of.runId)}: parts of another run are not merged`,
    );
  if (part.split.fingerprint !== of.split.fingerprint || part.shard.count !== of.split.count)
    throw new Error(
      `${where} is of ${describeSplit(part.split)}, not of ${describeSplit(of.split)}: the accounts in scope, the regions or the account filters differ, and parts of another split are not merged`,
    );
  const planned = new Set(shardOf(of.split.accounts, part.shard));
  const foreign = part.scope.accountsInScope.find((accountId) => !planned.has(accountId));
  if (foreign !== undefined)
    throw new Error(
      `${where} holds account ${foreign}, which its shard of the ${describeSplit(of.split)} does not`,
    );
}

/**
 * The scope and inventory of the whole audit from its shards' parts, each already checked by checkPart: exactly
 * one part (or one failure) per shard of the split, of one caller. Issuer hosts and issuers are probed by every
 * shard whose clusters use them: each is kept once. The accounts of a failed shard, and those of the split that
 * its part does not hold, stay in scope, each with an audit error saying why it was not read.
 */
export function mergeParts(
  parts: readonly NamedPart[],
  failed: readonly FailedShard[],
  of: PartsOf,
): {
  scope: Scope;
  inventory: Inventory;
  startedAt: string;
  auditor: InventoryPart['auditor'];
} {
  const first = parts[0]?.part;
  if (!first) throw new Error('no parts to merge: every shard failed');
  checkShards(parts, failed, of.split.count);
  const accountsOf = (shard: Shard) => shardOf(of.split.accounts, shard);
  const ordered = parts.map(({ part }) => part).sort((a, b) => a.shard.index - b.shard.index);
  const scopes = ordered.map((part) => part.scope);
  const failedErrors = failed.flatMap(({ shard, reason }) =>
    accountsOf(shard).map(
      (accountId): AuditError => ({
        accountId,
        region: null,
        stage: 'shard',
        code: 'ShardFailed',
        message: `shard ${shard.index}/${shard.count}, which was to read account ${accountId}, failed after its retries: ${reason}`,
      }),
    ),
  );
  const missingErrors = parts.flatMap(({ source, part }) => {
    const held = new Set(part.scope.accountsInScope);
    return accountsOf(part.shard)
      .filter((accountId) => !held.has(accountId))
      .map(
        (accountId): AuditError => ({
          accountId,
          region: null,
          stage: 'shard',
          code: 'AccountNotInPart',
          message: `account ${accountId} is in shard ${part.shard.index}/${part.shard.count} of the split, but its part (${source}) does not hold it: it was not read`,
        }),
      );
  });
  const sortedUnion = (lists: string[][]) => [...new Set(lists.flat())].sort();
  const ouPathsError = scopes.find((s) => s.ouPathsError)?.ouPathsError;
  const scope: Scope = {
    callerAccountId: first.scope.callerAccountId,
    partition: first.scope.partition,
    accountsInScope: sortedUnion([
      ...scopes.map((s) => s.accountsInScope),
      [...failedErrors, ...missingErrors].map((e) => e.accountId as string),
    ]),
    regionsInScope: sortedUnion(scopes.map((s) => s.regionsInScope)),
    targets: scopes.flatMap((s) => s.targets).sort((a, b) => a.accountId.localeCompare(b.accountId)),
    accountNames: Object.assign({}, ...scopes.map((s) => s.accountNames)),
    ouPaths: Object.assign({}, ...scopes.map((s) => s.ouPaths)),
    ...(ouPathsError ? { ouPathsError } : {}),
    // In shard order: the accounts' own errors in the order one run would have met them.
    errors: [...scopes.flatMap((s) => s.errors), ...failedErrors, ...missingErrors],
  };
  const all = ordered.map((p) => p.inventory);
  const once = <T>(items: T[], key: (item: T) => string) => [
    ...new Map(items.map((item) => [key(item), item] as const)).values(),
  ];
  const byArn = (a: { arn: string }, b: { arn: string }) => a.arn.localeCompare(b.arn);
  const inventory: Inventory = {
    accounts: all.flatMap((i) => i.accounts).sort((a, b) => a.accountId.localeCompare(b.accountId)),
    clusters: all.flatMap((i) => i.clusters).sort(byArn),
    providers: all.flatMap((i) => i.providers).sort(byArn),
    roles: all.flatMap((i) => i.roles).sort(byArn),
    hosts: once(
      all.flatMap((i) => i.hosts),
      (h) => h.host,
    ).sort((a, b) => compareText(a.host, b.host)),
    issuers: once(
      all.flatMap((i) => i.issuers),
      (i) => i.issuer,
    ).sort((a, b) => compareText(a.issuer, b.issuer)),
    // As one run lists them (collect.ts, finish): the scope's errors first, then the reads'.
    errors: [
      ...scope.errors,
      ...ordered.flatMap((part) => part.inventory.errors.slice(part.scope.errors.length)),
    ],
  };
  const startedAt = ordered.map((p) => p.startedAt).sort()[0] ?? first.startedAt;
  return { scope, inventory, startedAt, auditor: first.auditor };
}

/** Exactly one part or failure per shard of the split, of one caller. */
function checkShards(parts: readonly NamedPart[], failed: readonly FailedShard[], count: number): void {
  const seen = new Set<number>();
  for (const { shard } of failed) {
    if (shard.count !== count)
      throw new Error(`a failed shard ${shard.index}/${shard.count} among /${count}`);
    seen.add(shard.index);
  }
  const caller = parts[0]?.part.auditor.accountId;
  for (const { source, part } of parts) {
    if (part.auditor.accountId !== caller)
      throw new Error(`parts of different callers: ${part.auditor.accountId} (${source}) and ${caller}`);
    if (seen.has(part.shard.index)) throw new Error(`shard ${part.shard.index}/${count} given twice`);
    seen.add(part.shard.index);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new Error(`shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${count} missing`);
}
