import type { AuditConfig } from '../config/schema.ts';
import { blindAccounts } from '../inventory/blind.ts';
import type { Inventory } from '../inventory/types.ts';
import type { Scope } from '../scope/types.ts';
import type { Coverage } from './types.ts';

/**
 * How much of the scope this run could see, as account × region pairs.
 * - In scope: each account's regions as resolved (enabled and configured); for an account whose regions are not
 *   known (never entered, regions unlistable), the configured list, or else every region seen in this run.
 * - Audited: the region's EKS read completely, and the account's IAM providers and roles read.
 * A run that could not even list its accounts (a run-wide error, nothing in scope) covers 0%, not 100%.
 */
export function coverageOf(
  config: Pick<AuditConfig, 'regions'>,
  scope: Pick<Scope, 'accountsInScope' | 'regionsInScope' | 'targets'>,
  inventory: Inventory,
): Coverage {
  const targets = new Map(scope.targets.map((target) => [target.accountId, target]));
  const entries = new Map(inventory.accounts.map((account) => [account.accountId, account]));
  const fallback = config.regions === 'all' ? scope.regionsInScope : config.regions;
  let pairsInScope = 0;
  let pairsAudited = 0;
  for (const accountId of scope.accountsInScope) {
    const resolved = targets.get(accountId)?.regions ?? [];
    const regions = resolved.length > 0 ? resolved : fallback;
    pairsInScope += regions.length;
    const entry = entries.get(accountId);
    if (!entry?.providersAudited || !entry.rolesAudited) continue;
    const read = new Set(entry.regionsAudited);
    pairsAudited += regions.filter((region) => read.has(region)).length;
  }
  const runWideError = inventory.errors.some((error) => error.accountId === null && error.region === null);
  const percent =
    pairsInScope === 0 ? (runWideError ? 0 : 100) : Math.floor((pairsAudited / pairsInScope) * 1000) / 10;
  return {
    pairsInScope,
    pairsAudited,
    percent,
    blindAccounts: blindAccounts(inventory, scope.accountsInScope),
  };
}
