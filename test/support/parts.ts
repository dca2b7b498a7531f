// Inventory parts of a split audit (src/inventory/part.ts), built for tests: shard I of N of a split of N
// accounts, one account (with a cluster, its provider and a role trusting it) per shard.
import type { InventoryPart } from '../../src/inventory/part.ts';
import { type Split, splitOf } from '../../src/scope/split.ts';
import {
  ACCOUNT_ID,
  aCluster,
  anAccount,
  anInventory,
  anIssuerProbe,
  aProvider,
  aRole,
} from './inventory.ts';

export const accountOfShard = (index: number) => String(100000000000 + index);

/** The split of `count` accounts, one per shard, of an organization audited in every region. */
export function aSplit(count: number, regions: 'all' | string[] = 'all'): Split {
  const accounts = Array.from({ length: count }, (_, i) => accountOfShard(i + 1));
  return splitOf(accounts, count, {
    accounts: { kind: 'org', includeOus: [], excludeOus: [], excludeAccounts: [] },
    regions,
  });
}

/** Shard `index` of the split `aSplit(count)`: its one account read, or none when `accountsInScope` is []. */
export function aPart(
  index: number,
  count: number,
  overrides: { runId?: string; split?: Split; accountsInScope?: string[] } = {},
): InventoryPart {
  const accountId = accountOfShard(index);
  const cluster = aCluster({ accountId, name: `cluster-${index}` });
  const provider = aProvider({ cluster, accountId });
  const accountsInScope = overrides.accountsInScope ?? [accountId];
  const read = accountsInScope.includes(accountId);
  return {
    ...(overrides.runId === undefined ? {} : { runId: overrides.runId }),
    split: overrides.split ?? aSplit(count),
    shard: { index, count },
    startedAt: '2026-12-01T00:00:00.000Z',
    auditor: { accountId: ACCOUNT_ID, partition: 'aws' },
    scope: {
      callerAccountId: ACCOUNT_ID,
      partition: 'aws',
      accountsInScope,
      regionsInScope: [cluster.region],
      targets: read ? [{ accountId, partition: 'aws', regions: [cluster.region] }] : [],
      accountNames: {},
      ouPaths: {},
      errors: [],
    },
    inventory: read
      ? anInventory({
          accounts: [anAccount({ accountId, regionsAudited: [cluster.region] })],
          clusters: [cluster],
          providers: [provider],
          roles: [aRole({ accountId, name: `app-${index}`, trusts: [provider.arn] })],
          issuers: [anIssuerProbe({ issuer: cluster.issuer ?? '' })],
        })
      : anInventory({ accounts: [] }),
  };
}
