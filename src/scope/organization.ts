import {
  type Account,
  DescribeAccountCommand,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import type { AwsClients } from '../clients/aws.ts';
import type { CallLimiter } from '../clients/limit.ts';
import { withLimit } from '../clients/limit.ts';
import type { AccountSelection } from '../config/schema.ts';
import type { Partition } from '../model/inventory.ts';

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
  const under = (ou: string, filter: string) =>
    accountsUnder(client, ou, call).catch((error: unknown) => {
      if ((error as { name?: string }).name !== 'ParentNotFoundException') throw error;
      throw new Error(`${filter}: ${ou} is not an OU or root of this organization (ParentNotFoundException)`);
    });
  if (selection.includeOus.length > 0) {
    accounts = (
      await Promise.all(selection.includeOus.map((ou) => under(ou, '--include-ous / AUDIT_INCLUDE_OUS')))
    ).flat();
  } else {
    accounts = [];
    for await (const page of withLimit(paginateListAccounts({ client, pageSize: 20 }, {}), call)) {
      accounts.push(...(page.Accounts ?? []));
    }
  }
  const excluded = new Set(selection.excludeAccounts);
  for (const ou of selection.excludeOus) {
    for (const account of await under(ou, '--exclude-ous / AUDIT_EXCLUDE_OUS'))
      if (account.Id) excluded.add(account.Id);
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

export type Membership = { member: true; name?: string } | { member: false } | { member: 'unknown' };

// The organization cannot say (not an organization, or no right to read it): the account is audited as before.
const UNKNOWABLE = new Set([
  'AWSOrganizationsNotInUseException',
  'AccessDeniedException',
  'AccessDenied',
  'AccessDeniedForDependencyException',
]);

/**
 * Whether an account named explicitly (--accounts, a manual event) belongs to the caller's organization. An id
 * outside it is never assumed into: pointing the auditor at an account of one's own is how hostile data would
 * reach the organization's alerts.
 */
export async function membershipOf(
  clients: AwsClients,
  partition: Partition,
  accountId: string,
  call: CallLimiter,
): Promise<Membership> {
  try {
    const { Account } = await call(() =>
      clients.organizations(partition).send(new DescribeAccountCommand({ AccountId: accountId })),
    );
    return Account?.Name ? { member: true, name: Account.Name } : { member: true };
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (name === 'AccountNotFoundException') return { member: false };
    if (UNKNOWABLE.has(name)) return { member: 'unknown' };
    throw error;
  }
}
