import type { AuditConfig } from '../config/schema.ts';
import type { Facts } from '../facts/index.ts';
import { atOrAbove, type Finding, SEVERITIES, type Severity } from '../model/finding.ts';
import { type AuditError, serviceAccountCount } from '../model/inventory.ts';
import type { Scope } from '../scope/types.ts';
import { compareText } from '../text/compare.ts';
import { coverageOf } from './coverage.ts';
import type { Muted } from './mute.ts';
import type { Report, ReportCluster, ReportIssuer } from './types.ts';

export interface ReportTimes {
  startedAt: Date;
  finishedAt: Date;
}

/** What the report reads of the facts: the inventory and the role map. */
export type ReportFacts = Pick<Facts, 'inventory' | 'assumableRoles'>;

export function buildReport(
  config: AuditConfig,
  scope: Scope,
  facts: ReportFacts,
  checked: Finding[] | Muted,
  times: ReportTimes,
): Report {
  const { inventory } = facts;
  const { findings, suppressions } = Array.isArray(checked)
    ? { findings: checked, suppressions: undefined }
    : checked;
  const { counts, muted } = countFindings(findings);
  const hosts = new Map(inventory.hosts.map((h) => [h.host, h]));
  const issuers: ReportIssuer[] = inventory.issuers.map((issuer) => ({
    ...issuer,
    tls: hosts.get(issuer.host),
  }));
  const roleMap = new Map(facts.assumableRoles.map((entry) => [entry.clusterArn, entry.roles]));
  const clusters: ReportCluster[] = inventory.clusters.map(({ kubernetes, ...cluster }) => ({
    ...cluster,
    ...(kubernetes
      ? {
          kubernetes: {
            namespaces: kubernetes.namespaces.length,
            serviceAccounts: serviceAccountCount(kubernetes),
            annotated: kubernetes.serviceAccounts.filter((sa) => sa.roleArn !== undefined).length,
            pods: kubernetes.pods.length,
          },
        }
      : {}),
    assumableRoles: (roleMap.get(cluster.arn) ?? []).map(({ accountId: _a, roleName: _n, ...role }) => role),
  }));
  return {
    schemaVersion: 1,
    trigger: config.trigger,
    startedAt: times.startedAt.toISOString(),
    finishedAt: times.finishedAt.toISOString(),
    scope: {
      accounts: scope.accountsInScope,
      regions: scope.regionsInScope,
      ...(Object.keys(scope.accountNames).length > 0
        ? { accountNames: byAccountId(scope.accountNames) }
        : {}),
      ...(Object.keys(scope.ouPaths).length > 0 ? { ouPaths: byAccountId(scope.ouPaths) } : {}),
    },
    summary: {
      accounts: inventory.accounts.length,
      regions: new Set(inventory.accounts.flatMap((a) => a.regionsAudited)).size,
      clusters: inventory.clusters.length,
      providers: inventory.providers.length,
      roles: inventory.roles.length,
      findings: counts,
      errors: inventory.errors.length,
      coverage: coverageOf(config, scope, inventory),
      ...(suppressions ? { muted } : {}),
    },
    // Each entry as read, then what the organization calls it and where it sits, when known.
    accounts: inventory.accounts.map((account) => {
      const name = scope.accountNames[account.accountId];
      const ouPath = scope.ouPaths[account.accountId];
      return { ...account, ...(name ? { name } : {}), ...(ouPath ? { ouPath } : {}) };
    }),
    clusters,
    providers: inventory.providers,
    issuers,
    errors: inventory.errors.toSorted(byPlace),
    findings,
    ...(suppressions ? { suppressions } : {}),
  };
}

// The organization's lists and the reads end in the order their answers came; the report is in one order, so that
// two audits of the same organization read and diff alike.

function byAccountId(byAccount: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(byAccount).sort(([a], [b]) => compareText(a, b)));
}

function byPlace(a: AuditError, b: AuditError): number {
  return (
    compareText(a.accountId ?? '', b.accountId ?? '') ||
    compareText(a.region ?? '', b.region ?? '') ||
    compareText(a.cluster ?? '', b.cluster ?? '') ||
    compareText(a.stage, b.stage) ||
    compareText(a.code, b.code) ||
    compareText(a.message, b.message)
  );
}

/** The findings per severity, and those muted apart: accepted risks are reported, not counted (the counts drive
 * --fail-on, the metrics and the alarms). */
export function countFindings(findings: readonly Finding[]): {
  counts: Record<Severity, number>;
  muted: number;
} {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let muted = 0;
  for (const finding of findings) {
    if (finding.muted) muted++;
    else counts[finding.severity]++;
  }
  return { counts, muted };
}

/** True when some finding not muted is at or above `threshold` (critical is the highest). */
export function hasFindingAtOrAbove(report: Report, threshold: Severity): boolean {
  return report.findings.some((f) => !f.muted && atOrAbove(f.severity, threshold));
}
