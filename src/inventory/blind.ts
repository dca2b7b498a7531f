import type { AuditError, AuditedAccount, Inventory } from '../model/inventory.ts';

// What "could not be read at all" means, in one place for the audit-error severity, the coverage figures and the
// digest. An account is blind when:
// - it was never entered (AssumeRole refused, not in the organization, the time budget ran out first): it has
//   no entry in `inventory.accounts`, only audit errors;
// - or neither its IAM providers nor its roles could be read;
// - or not one of its regions could be read while some were tried (every region failing).
// A blind account's audit errors are high: a green report must never hide an account nobody looked into.

export function isBlindAccount(entry: AuditedAccount | undefined, errors: readonly AuditError[]): boolean {
  if (entry === undefined) return true;
  if (!entry.providersAudited && !entry.rolesAudited) return true;
  return entry.regionsAudited.length === 0 && errors.some((error) => error.region !== null);
}

/** The blind accounts among those in scope and those named by an audit error, sorted. */
export function blindAccounts(inventory: Inventory, accountsInScope: readonly string[] = []): string[] {
  const entries = new Map(inventory.accounts.map((account) => [account.accountId, account]));
  const errorsOf = new Map<string, AuditError[]>();
  for (const error of inventory.errors) {
    if (error.accountId === null) continue;
    const list = errorsOf.get(error.accountId) ?? [];
    list.push(error);
    errorsOf.set(error.accountId, list);
  }
  const candidates = new Set([...accountsInScope, ...errorsOf.keys()]);
  return [...candidates].filter((id) => isBlindAccount(entries.get(id), errorsOf.get(id) ?? [])).sort();
}
