// The facts step: what the checks and the report derive from the inventory, computed once per audit and passed
// on as an argument. The lookup index answers "which providers, clusters, roles for this account and issuer";
// the trust analysis answers "who can assume each role, through which provider" (docs/trust-policies.md).
// Nothing here is cached at module level: the facts live as long as the audit holds them.

import type { Inventory } from '../model/inventory.ts';
import { buildLookup, type InventoryLookup } from './lookup.ts';
import { analyseRole, type ProviderCache, type RoleTrust } from './trust/analysis.ts';
import { assumableRolesByCluster, type ClusterAssumableRoles, podIdentityRoles } from './trust/assumable.ts';
import { parseShares } from './trust/conditions.ts';
import { type AssociationAnalysis, analyseAssociations } from './trust/pod-identity.ts';

export interface Facts {
  readonly inventory: Inventory;
  readonly lookup: InventoryLookup;
  /**
   * The analysis of each role that an OIDC provider's tokens may reach, and of each role whose trust policy could
   * not be read (a blind spot the checks name), in the inventory's order. A role trusting only AWS services or
   * accounts is analysed and let go: at organization scale those are most roles, and keeping their analyses
   * would cost memory for nothing any check or the report reads.
   */
  readonly trusts: readonly RoleTrust[];
  /** Every EKS Pod Identity association, its roles found and their trust evaluated for it. */
  readonly podIdentity: readonly AssociationAnalysis[];
  /**
   * Per cluster with an OIDC issuer, the roles its service accounts can assume, through IRSA or Pod Identity (the
   * report's role map).
   */
  readonly assumableRoles: readonly ClusterAssumableRoles[];
}

export function deriveFacts(inventory: Inventory): Facts {
  const lookup = buildLookup(inventory);
  const trusts: RoleTrust[] = [];
  const providers: ProviderCache = new Map();
  const shares = parseShares();
  for (const role of inventory.roles) {
    const trust = analyseRole(role, lookup, providers, shares);
    if (trust.policy === undefined || trust.providers.length > 0) trusts.push(trust);
  }
  const podIdentity = analyseAssociations(inventory.clusters, lookup);
  const byCluster = Map.groupBy(podIdentity, (analysis) => analysis.cluster.arn);
  const assumableRoles = assumableRolesByCluster(
    inventory.clusters,
    trusts,
    (cluster) => podIdentityRoles(byCluster.get(cluster.arn) ?? []),
    lookup.issuerUrl,
  );
  return { inventory, lookup, trusts, podIdentity, assumableRoles };
}

export type { InventoryLookup } from './lookup.ts';
export type { RoleTrust } from './trust/analysis.ts';
export type { ClusterAssumableRoles } from './trust/assumable.ts';
