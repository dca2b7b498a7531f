import type { Credentials } from '../clients/aws.ts';
import type { AuditError, Partition } from '../model/inventory.ts';
import type { Split } from './split.ts';

/** One account to audit, with what to read it with. */
export interface AccountTarget {
  accountId: string;
  partition: Partition;
  /** undefined = the caller's own credentials. */
  credentials?: Credentials;
  /** The regions to read EKS in: enabled for the account and wanted by the configuration. */
  regions: string[];
}

export interface Scope {
  callerAccountId: string;
  partition: Partition;
  /** Every account the configuration named, audited or not. */
  accountsInScope: string[];
  /** Every region the configuration named or found enabled somewhere. */
  regionsInScope: string[];
  /**
   * The accounts resolved, each handed to the inventory as soon as it was; without their credentials, so that
   * an account's SDK clients can be released once it has been read.
   */
  targets: AccountTarget[];
  /** The organization's account names, when the organization was listed. */
  accountNames: Record<string, string>;
  /** Each account's OU path (`/Workloads/Prod`, `/` for the root), when the organization's OUs were read. */
  ouPaths: Record<string, string>;
  /** Why the OU paths are unknown, when the organization was listed but its OUs could not be read. */
  ouPathsError?: string;
  errors: AuditError[];
  /** With config.shard: the split this scope is a shard of (src/scope/split.ts), for the merge to check it by. */
  split?: Split;
}

/**
 * The accounts an audit covers as one listing of the organization found them, with what the report shows of
 * each: what a fan-out plan lists once and hands every shard (docs/fan-out.md), so that an account joining or
 * leaving the organization meanwhile cannot make the shards disagree about who reads what.
 */
export interface AccountsInScope {
  /** Sorted by id. */
  ids: string[];
  /** The organization's name for each account, where it gave one. */
  names: Record<string, string>;
  /** Each account's OU path, when the organization's OUs were read. */
  ouPaths: Record<string, string>;
  /** Why the OU paths are unknown, when the organization was listed but its OUs could not be read. */
  ouPathsError?: string;
}
