import type { AuditConfig } from '../config/schema.ts';
import { blindAccounts } from '../inventory/blind.ts';
import type { Coverage } from '../model/finding.ts';
import type { Inventory } from '../model/inventory.ts';
import type { Scope } from '../scope/types.ts';

/**
 * How much of the scope this run could see, as account × region pairs.
 * - In scope: each account's regions as resolved (enabled and configured); for an account whose regions are not
 *   known (never entered, regions unlistable), the configured list, or else as many as the average account whose
 *   regions are known (at least one): an estimate, since nobody could ask that account which it has enabled.
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
  const known = scope.targets.filter((target) => target.regions.length > 0);
  const average = known.reduce((sum, target) => sum + target.regions.length, 0) / Math.max(1, known.length);
  const unknownCount = config.regions === 'all' ? Math.max(1, Math.round(average)) : config.regions.length;
  let pairsInScope = 0;
  let pairsAudited = 0;
  for (const accountId of scope.accountsInScope) {
    const resolved = targets.get(accountId)?.regions ?? [];
    pairsInScope += resolved.length > 0 ? resolved.length : unknownCount;
    const entry = entries.get(accountId);
    if (!entry?.providersAudited || !entry.rolesAudited) continue;
    const read = new Set(entry.regionsAudited);
    pairsAudited += resolved.filter((region) => read.has(region)).length;
  }
  const runWideError = inventory.errors.some((error) => error.accountId === null && error.region === null);
  const percent =
    pairsInScope === 0 ? (runWideError ? 0 : 100) : Math.floor((pairsAudited / pairsInScope) * 1000) / 10;
  return {
    pairsInScope,
    pairsAudited,
    percent,
    blindAccounts: blindAccounts(inventory, scope.accountsInScope),
    ...kubernetesCoverage(inventory),
  };
}

/**
 * True when the run read no account × region pair at all (no credentials reached anything, every account refused,
 * the organization unlistable): a failed audit, however few findings it shows, since nothing was looked at.
 */
export function auditedNothing(coverage: Pick<Coverage, 'pairsAudited' | 'percent'>): boolean {
  return coverage.pairsAudited === 0 && coverage.percent === 0;
}

/** Present when the run read Kubernetes (--kubernetes): a cluster read, or one named as a blind spot. */
function kubernetesCoverage(inventory: Inventory): Pick<Coverage, 'kubernetes'> {
  const read = inventory.clusters.filter((cluster) => cluster.kubernetes !== undefined).length;
  const tried = read > 0 || inventory.errors.some((error) => error.stage.startsWith('kubernetes-'));
  return tried ? { kubernetes: { clusters: inventory.clusters.length, read } } : {};
}
