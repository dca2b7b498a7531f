// What a reader asked to see: findings at or above a severity, of some checks, or without some. The audit and
// what it publishes stay whole; only the printed report and --fail-on see the filtered findings, and the report
// says how many it leaves out, so a filtered view never reads as a cleaner organization.

import type { CheckId } from '../model/catalog.ts';
import { atOrAbove, type Finding, type Severity } from '../model/finding.ts';
import type { Report } from './types.ts';

export interface FindingFilter {
  minSeverity?: Severity;
  checks?: readonly CheckId[];
  excludeChecks?: readonly CheckId[];
}

export function isFiltering(filter: FindingFilter): boolean {
  return (
    filter.minSeverity !== undefined ||
    (filter.checks?.length ?? 0) > 0 ||
    (filter.excludeChecks?.length ?? 0) > 0
  );
}

export function keeps(filter: FindingFilter, finding: Finding): boolean {
  return (
    (filter.minSeverity === undefined || atOrAbove(finding.severity, filter.minSeverity)) &&
    (filter.checks === undefined || filter.checks.length === 0 || filter.checks.includes(finding.check)) &&
    !(filter.excludeChecks ?? []).includes(finding.check)
  );
}

/** The report with only the findings the filter keeps, and `filtered` saying what was asked and what was left out. */
export function filterReport(report: Report, filter: FindingFilter): Report {
  if (!isFiltering(filter)) return report;
  const findings = report.findings.filter((finding) => keeps(filter, finding));
  return {
    ...report,
    findings,
    filtered: {
      ...(filter.minSeverity ? { minSeverity: filter.minSeverity } : {}),
      ...(filter.checks?.length ? { checks: [...filter.checks] } : {}),
      ...(filter.excludeChecks?.length ? { excludeChecks: [...filter.excludeChecks] } : {}),
      hiddenFindings: report.findings.length - findings.length,
    },
  };
}
