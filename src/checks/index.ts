import { type Finding, severityRank } from '../model/finding.ts';
import type { Inventory } from '../model/inventory.ts';
import { checkAudiences } from './audiences.ts';
import { checkAuditErrors } from './audit-errors.ts';
import { checkCertificates } from './certificates.ts';
import { checkIssuers } from './issuers.ts';
import { checkProviders } from './providers.ts';
import { checkThumbprints } from './thumbprints.ts';
import { checkTrustPolicies } from './trust.ts';
import type { Check, CheckContext } from './types.ts';

/** Every check family the audit runs; a new family is one more entry. */
export const checks: readonly Check[] = [
  checkProviders,
  checkAudiences,
  checkThumbprints,
  checkCertificates,
  checkIssuers,
  checkAuditErrors,
  checkTrustPolicies,
];

/** Runs the families and orders their findings so that two runs over one inventory give one report. */
export function runChecks(
  inventory: Inventory,
  context: CheckContext,
  families: readonly Check[] = checks,
): Finding[] {
  return families.flatMap((check) => check(inventory, context)).sort(compareFindings);
}

/** Most severe first, then by account, region (regionless last), resource, check and id. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    compareText(a.accountId, b.accountId) ||
    compareRegion(a.region, b.region) ||
    compareText(a.resource, b.resource) ||
    compareText(a.check, b.check) ||
    compareText(a.id, b.id)
  );
}

// Code-unit order, not localeCompare: the order must not depend on the runtime's locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRegion(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareText(a, b);
}
