import type { ConnectTo } from '../model/connect-to.ts';
import type { Trigger } from '../model/finding.ts';
import type { DefaultedInput } from './options.ts';

export type AccountSelection =
  | { kind: 'current' }
  | { kind: 'list'; ids: string[] }
  | { kind: 'org'; excludeAccounts: string[]; includeOus: string[]; excludeOus: string[] };

/** The fields resolveConfig derives from the input (src/config/resolve.ts) instead of carrying them over. */
type Derived =
  | 'accounts'
  | 'includeOus'
  | 'excludeOus'
  | 'excludeAccounts'
  | 'regions'
  | 'connectTo'
  | 'publish';

/**
 * The one validated configuration every entry point (Lambda, CLI) turns its input into: the input's settings as
 * the options table declares them (src/config/options/), those with a default always set, and the derived fields.
 */
export interface AuditConfig extends Omit<DefaultedInput, Derived> {
  trigger: Trigger;
  accounts: AccountSelection;
  /** `all` = every region enabled for each account; else this list, intersected with the enabled ones. */
  regions: 'all' | string[];
  connectTo: ConnectTo[];
  /** Send metrics and alerts. */
  publish: boolean;
}

// test/deploy/member-role.test.ts holds the member role's template to these.
export { externalId, roleName } from './fields.ts';
export { DEFAULTS } from './options.ts';
