// Where each account sits in the organization: its OU path (`/Workloads/Prod`, `/` for the root). Two accounts in
// different OUs usually belong to different trust zones (prod and dev, two business units), so a role of one
// reachable from a cluster of the other matters more (trust-cross-account, docs/checks.md).
//
// One walk of the OU tree from the root: per OU, its child OUs and its accounts. An organization has far fewer
// OUs than accounts, so this costs a handful of calls where ListParents would cost one per account.

import {
  type OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListRoots,
} from '@aws-sdk/client-organizations';
import { type CallLimiter, withLimit } from '../clients/limit.ts';

export interface OrganizationUnits {
  /** Account id → OU path, for the accounts under some OU; accounts directly under the root are `/`. */
  paths: Record<string, string>;
}

/** The OU path of every account of the organization; accounts found nowhere below the root are under it. */
export async function organizationUnitPaths(
  client: OrganizationsClient,
  accountIds: readonly string[],
  call: CallLimiter,
): Promise<OrganizationUnits> {
  const roots: string[] = [];
  for await (const page of withLimit(paginateListRoots({ client }, {}), call)) {
    for (const root of page.Roots ?? []) if (root.Id) roots.push(root.Id);
  }
  const paths: Record<string, string> = {};
  const walk = async (parentId: string, path: string): Promise<void> => {
    const children: { id: string; path: string }[] = [];
    const ous = paginateListOrganizationalUnitsForParent({ client }, { ParentId: parentId });
    for await (const page of withLimit(ous, call)) {
      for (const ou of page.OrganizationalUnits ?? [])
        if (ou.Id) children.push({ id: ou.Id, path: `${path}/${ou.Name ?? ou.Id}` });
    }
    await Promise.all(
      children.map(async (child) => {
        const accounts = paginateListAccountsForParent({ client }, { ParentId: child.id });
        for await (const page of withLimit(accounts, call)) {
          for (const account of page.Accounts ?? []) if (account.Id) paths[account.Id] = child.path;
        }
        await walk(child.id, child.path);
      }),
    );
  };
  await Promise.all(roots.map((root) => walk(root, '')));
  for (const id of accountIds) paths[id] ??= '/';
  return { paths };
}
