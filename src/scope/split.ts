import { createHash } from 'node:crypto';
import type { AuditConfig } from '../config/schema.ts';

/**
 * One way of splitting an audit into shards (docs/fan-out.md): every account of the whole audit, how many shards
 * share them, and a fingerprint of all that decides which accounts and regions a shard reads. The plan, each
 * shard's part and the merge carry it, so that parts of different splits are never joined as one organization.
 */
export interface Split {
  fingerprint: string;
  /** Every account of the whole audit, sorted: shard I of N reads shardOf(accounts, {index: I, count: N}). */
  accounts: string[];
  count: number;
}

/**
 * The split of `accounts` (the accounts in scope, before sharding) into `count` shards under `config`'s account
 * filters and regions. The only place its fingerprint is computed: the plan, the shards and the merge all call it.
 */
export function splitOf(
  accounts: readonly string[],
  count: number,
  config: Pick<AuditConfig, 'accounts' | 'regions'>,
): Split {
  const sorted = [...new Set(accounts)].sort();
  const selection = config.accounts;
  const decides = {
    accounts: sorted,
    count,
    regions: config.regions === 'all' ? 'all' : [...config.regions].sort(),
    selection: selection.kind,
    ...(selection.kind === 'org'
      ? {
          includeOus: [...selection.includeOus].sort(),
          excludeOus: [...selection.excludeOus].sort(),
          excludeAccounts: [...selection.excludeAccounts].sort(),
        }
      : {}),
  };
  const fingerprint = createHash('sha256').update(JSON.stringify(decides)).digest('hex').slice(0, 16);
  return { fingerprint, accounts: sorted, count };
}
