import { ConfigError } from './errors.ts';
import type { ConfigInput } from './options.ts';

/**
 * A manual event may narrow the configured scope, never widen it: whoever may invoke the function must not be
 * able to point it at an account of their own, feed it hostile data and have the result published to the
 * organization's alert topic (docs/security-model.md).
 * - AUDIT_ACCOUNTS a list: the event's accounts must be among them;
 * - AUDIT_ACCOUNTS unset (the function's own account): the event may name no accounts;
 * - AUDIT_ACCOUNTS=org: the event may name accounts; the scope step checks each is in the organization and never
 *   assumes a role outside it (stage organization-membership), and the role's sts:AssumeRole is conditioned on
 *   aws:ResourceOrgID when the stack knows the organization's id.
 * The same for regions: with AUDIT_REGIONS a list, the event's regions must be among them.
 */
export function limitToConfiguredScope(configured: ConfigInput, event: ConfigInput): void {
  const problems: string[] = [];
  if (event.accounts !== undefined) {
    if (configured.accounts === undefined) {
      problems.push(
        'accounts: this function audits its own account only (AUDIT_ACCOUNTS is unset); a manual event cannot name accounts',
      );
    } else if (configured.accounts !== 'org') {
      const allowed = new Set(configured.accounts);
      const outside = event.accounts === 'org' ? ['org'] : event.accounts.filter((id) => !allowed.has(id));
      if (outside.length > 0) {
        problems.push(`accounts: ${outside.join(', ')} outside the configured scope (AUDIT_ACCOUNTS)`);
      }
    }
  }
  if (event.regions !== undefined && configured.regions !== undefined && configured.regions !== 'all') {
    const allowed = new Set(configured.regions);
    const outside = event.regions === 'all' ? ['all'] : event.regions.filter((r) => !allowed.has(r));
    if (outside.length > 0) {
      problems.push(`regions: ${outside.join(', ')} outside the configured scope (AUDIT_REGIONS)`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `event field ${p}`).join('\n'));
}
