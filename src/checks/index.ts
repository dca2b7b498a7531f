import type { Facts } from '../facts/index.ts';
import { FAMILIES, type Family } from '../model/catalog.ts';
import { type Finding, severityRank } from '../model/finding.ts';
import { compareText } from '../text/compare.ts';
import { checkAudiences } from './audiences.ts';
import { checkAuditErrors } from './audit-errors.ts';
import { checkCertificates } from './certificates.ts';
import { checkCrossAccount } from './cross-account.ts';
import type { CheckFamily } from './family.ts';
import { makeFinding } from './finding.ts';
import { checkIssuers } from './issuers.ts';
import { checkKubernetes } from './kubernetes.ts';
import { checkPodIdentity } from './pod-identity.ts';
import { checkProviders } from './providers.ts';
import { checkThumbprints } from './thumbprints.ts';
import { checkTrustPolicies } from './trust.ts';
import type { CheckContext } from './types.ts';

/**
 * The function of each family of the catalog (src/model/catalog.ts): a new family is one more entry, and the type
 * keeps each name on the family declared under it. This table is what says which checks a family emits.
 */
export const FAMILY_CHECKS: { readonly [F in Family]: CheckFamily<F> } = {
  providers: checkProviders,
  audiences: checkAudiences,
  thumbprints: checkThumbprints,
  certificates: checkCertificates,
  issuers: checkIssuers,
  'audit-errors': checkAuditErrors,
  trust: checkTrustPolicies,
  'cross-account': checkCrossAccount,
  'pod-identity': checkPodIdentity,
  kubernetes: checkKubernetes,
};

export const checks: readonly CheckFamily[] = FAMILIES.map((family) => FAMILY_CHECKS[family]);

/**
 * Runs the families and orders their findings so that two runs over one inventory give one report. A family
 * that fails (a defect, or data no test foresaw) costs its own findings only, and says so as a high audit error:
 * the rest of the audit stands, and the run is not green while that family was blind.
 */
export function runChecks(
  facts: Facts,
  context: CheckContext,
  families: readonly CheckFamily[] = checks,
): Finding[] {
  return families
    .flatMap((check): Finding[] => {
      try {
        return check(facts, context);
      } catch (error) {
        return [familyFailed(check.family, error)];
      }
    })
    .sort(compareFindings);
}

function familyFailed(name: string, error: unknown): Finding {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return makeFinding({
    check: 'audit-error',
    severity: 'high',
    accountId: '',
    region: null,
    resource: 'audit:checks',
    cluster: null,
    message: `The check family ${name} failed, so its checks did not run: ${reason}`,
    remediation: 'Report this as a defect of the auditor, with this message; the other checks ran',
    evidence: { expected: 'every check family to run', found: { stage: 'checks', family: name, reason } },
    discriminator: `checks|${name}`,
  });
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

function compareRegion(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareText(a, b);
}
