// Every account, region or stage the inventory could not read becomes a finding: silence must never read as
// "fine".

import { blindAccounts } from '../inventory/blind.ts';
import type { DeclaredSeverity } from '../model/catalog.ts';
import type { Finding } from '../model/finding.ts';
import type { AuditError } from '../model/inventory.ts';
import { family } from './family.ts';
import { makeFinding } from './finding.ts';
import { kubernetesRemediation } from './kubernetes-access.ts';
import type { Steps } from './remediation.ts';

/**
 * Every audit error of a blind account (src/inventory/blind.ts) is high, and so is a run-wide error of a run that
 * audited no account at all: both count toward --fail-on and the default alert threshold. A region or a stage
 * that failed alone, in an account otherwise read, is medium.
 */
export const checkAuditErrors = family('audit-errors', (facts, context) => {
  const blind = new Set(blindAccounts(facts.inventory));
  const nothingAudited = facts.inventory.accounts.length === 0;
  const before = context.auditedBefore ?? new Map<string, string>();
  return facts.inventory.errors.map((error) => {
    const lostSince = lastAudited(error, before);
    const high =
      error.accountId === null ? nothingAudited : blind.has(error.accountId) || lostSince !== undefined;
    return auditErrorFinding(error, high ? 'high' : 'medium', lostSince);
  });
});

/**
 * When an earlier run last audited what this error hides (the region, or any region of the account): access
 * that was there and is gone is lost, and alerted as such.
 */
function lastAudited(error: AuditError, before: ReadonlyMap<string, string>): string | undefined {
  if (error.accountId === null || before.size === 0) return undefined;
  // The memory holds account × region pairs: whether a cluster's Kubernetes side was read before is not in it, and
  // its region having been read says nothing of it.
  if (error.cluster) return undefined;
  if (error.region !== null) return before.get(`${error.accountId}/${error.region}`);
  const dates = [...before].filter(([key]) => key.startsWith(`${error.accountId}/`)).map(([, at]) => at);
  return dates.sort().at(-1);
}

function auditErrorFinding(
  error: AuditError,
  severity: DeclaredSeverity<'audit-error'>,
  lostSince?: string,
): Finding<'audit-error'> {
  const scope = scopeOf(error);
  return makeFinding({
    check: 'audit-error',
    severity,
    // Stage and code tell apart failures at one place (e.g. `eks` and `time budget` in one region) while staying
    // the same from run to run as long as the failure itself does.
    discriminator: [error.stage, error.code, error.accountId === null ? (error.region ?? '') : ''].join('\n'),
    accountId: error.accountId ?? '',
    region: error.region,
    // A cluster's Kubernetes side is a blind spot of its own: one finding per cluster, not per region.
    resource: error.cluster ?? scope.resource,
    cluster: error.cluster ? error.cluster.slice(error.cluster.indexOf('/') + 1) : null,
    message:
      `Could not audit ${error.cluster ? `the Kubernetes side of ${error.cluster}` : scope.label} (${error.stage}): ${error.code}: ${error.message}` +
      (lostSince ? `; audited until ${lostSince.slice(0, 10)}, blind now` : ''),
    remediation: remediationFor(error),
    evidence: {
      expected: `${error.stage} read completely`,
      found: { stage: error.stage, code: error.code, message: error.message },
      ...(error.principal ? { principal: error.principal } : {}),
    },
  });
}

/**
 * `region:<acct>/<region>` or `account:<acct>` as the README's report section names them. A failure before any account is known
 * (e.g. listing the organization) has no account to blame: it gets accountId '' and `audit:<stage>`, which no
 * account id or ARN can collide with, rather than a made-up account id.
 */
function scopeOf(error: AuditError): { resource: string; label: string } {
  if (error.accountId === null) {
    return {
      resource: `audit:${error.stage}`,
      label: error.region ? `region ${error.region}` : 'the audit scope',
    };
  }
  if (error.region !== null) {
    return {
      resource: `region:${error.accountId}/${error.region}`,
      label: `${error.accountId}/${error.region}`,
    };
  }
  return { resource: `account:${error.accountId}`, label: `account ${error.accountId}` };
}

function remediationFor(error: AuditError): string | Steps {
  if (error.cluster !== undefined) return kubernetesRemediation(error);
  const where = error.accountId === null ? 'the audit role' : `the audit role in ${error.accountId}`;
  // A refused AssumeRole is about reaching the role, not about what the role may read.
  if (error.stage === 'assume-role' && error.code === 'AccessDenied') {
    return `Let the auditor assume ${where}: the role must exist (--role-name, AUDIT_ROLE_NAME), its trust policy must allow sts:AssumeRole from the auditing account's principal (with the ExternalId of --external-id / AUDIT_EXTERNAL_ID, if it requires one), and that principal needs sts:AssumeRole on the role`;
  }
  if (error.code === 'AccountNotInOrganization') {
    return `Account ${error.accountId} is not a member of the auditing organization, so the auditor does not assume a role in it: remove it from --accounts / AUDIT_ACCOUNTS (or the manual event), or invite it into the organization`;
  }
  switch (error.code) {
    case 'AccessDenied':
    case 'AccessDeniedException':
    case 'UnauthorizedOperation':
      return `Grant ${where} the read permissions for ${error.stage} (eks:ListClusters, eks:DescribeCluster, iam:ListOpenIDConnectProviders, iam:GetOpenIDConnectProvider, iam:ListRoles, sts:AssumeRole as applicable), then rerun the audit`;
    case 'UnrecognizedClientException':
    case 'AuthFailure':
    case 'InvalidClientTokenId':
      return error.region
        ? `Region ${error.region} looks disabled for this account: enable it, or leave it out with --regions`
        : `The credentials were rejected: check ${where} and its trust policy (--role-name, --external-id)`;
    case 'ETIMEDOUT':
    case 'TimeoutError':
    case 'ECONNREFUSED':
      return `The AWS endpoint for ${error.stage} did not answer in time: check the network path from where the audit runs (VPC endpoints, proxies, AWS_ENDPOINT_URL_*), or raise --aws-request-timeout-ms / AUDIT_AWS_REQUEST_TIMEOUT_MS`;
    case 'RegionUnresponsive':
      return `AWS did not answer in ${error.region ?? 'this region'} for several accounts in a row (a regional outage, or a network path every account shares), so the audit stopped calling it this run: check the AWS Health Dashboard and the network path from where the audit runs, then rerun the audit`;
    case 'Throttling':
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return 'Rerun the audit, or audit fewer accounts or regions at a time (--accounts, --regions)';
    default:
      return `Rerun the audit; if it fails again, investigate ${error.code} at stage ${error.stage}`;
  }
}
