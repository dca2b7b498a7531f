import {
  type Account,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import type { AwsClients, CallLimiter } from '../clients/aws.ts';
import type { AccountSelection } from '../config/schema.ts';
import type { Partition } from '../inventory/types.ts';
import { withLimit } from './regions.ts';

type OrgSelection = Extract<AccountSelection, { kind: 'org' }>;

// `State` replaced `Status` in 2025; read both so older and newer responses agree.
function isActive(account: Account): boolean {
  const state = (account as { State?: string }).State ?? account.Status;
  return state === 'ACTIVE';
}

export interface OrganizationAccounts {
  ids: string[];
  /** The organization's name for each account: what people call it in alerts. */
  names: Record<string, string>;
}

/** ACTIVE accounts of the organization, narrowed by the OU and account filters, sorted by id. */
export async function organizationAccounts(
  clients: AwsClients,
  partition: Partition,
  selection: OrgSelection,
  call: CallLimiter,
): Promise<OrganizationAccounts> {
  const client = clients.organizations(partition);
  let accounts: Account[];
  if (selection.includeOus.length > 0) {
    accounts = (await Promise.all(selection.includeOus.map((ou) => accountsUnder(client, ou, call)))).flat();
  } else {
    accounts = [];
    for await (const page of withLimit(paginateListAccounts({ client, pageSize: 20 }, {}), call)) {
      accounts.push(...(page.Accounts ?? []));
    }
  }
  const excluded = new Set(selection.excludeAccounts);
  for (const ou of selection.excludeOus) {
    for (const account of await accountsUnder(client, ou, call)) if (account.Id) excluded.add(account.Id);
  }
  const active = accounts.filter((a) => isActive(a) && a.Id !== undefined && !excluded.has(a.Id));
  const names: Record<string, string> = {};
  for (const account of active) if (account.Id && account.Name) names[account.Id] = account.Name;
  return { ids: [...new Set(active.map((a) => a.Id as string))].sort(), names };
}

/** Accounts directly in `parentId` and in every OU below it. */
async function accountsUnder(
  client: ReturnType<AwsClients['organizations']>,
  parentId: string,
  call: CallLimiter,
): Promise<Account[]> {
  const accounts: Account[] = [];
  for await (const page of withLimit(
    paginateListAccountsForParent({ client }, { ParentId: parentId }),
    call,
  )) {
    accounts.push(...(page.Accounts ?? []));
  }
  const children: string[] = [];
  const ous = paginateListOrganizationalUnitsForParent({ client }, { ParentId: parentId });
  for await (const page of withLimit(ous, call)) {
    for (const ou of page.OrganizationalUnits ?? []) if (ou.Id) children.push(ou.Id);
  }
  for (const child of await Promise.all(children.map((id) => accountsUnder(client, id, call)))) {
    accounts.push(...child);
  }
  return accounts;
}
