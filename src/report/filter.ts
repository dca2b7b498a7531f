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
      // A saved report filtered already (eks-oidc-audit report FILE) hides those too.
      hiddenFindings: report.findings.length - findings.length + (report.filtered?.hiddenFindings ?? 0),
    },
  };
}

/** The flags that hid findings, as the reader typed them: `--severity high --checks trust-no-sub`. */
export function filterFlags(filtered: NonNullable<Report['filtered']>): string {
  return [
    ...(filtered.minSeverity ? [`--severity ${filtered.minSeverity}`] : []),
    ...(filtered.checks?.length ? [`--checks ${filtered.checks.join(',')}`] : []),
    ...(filtered.excludeChecks?.length ? [`--exclude-checks ${filtered.excludeChecks.join(',')}`] : []),
  ].join(' ');
}

/** `12 findings shown, 31 hidden by --severity high`: a filtered view must not read as a cleaner organization. */
export function filterNote(report: Report): string | undefined {
  const { filtered } = report;
  if (!filtered) return undefined;
  const shown = report.findings.length;
  return `${shown} finding${shown === 1 ? '' : 's'} shown, ${filtered.hiddenFindings} hidden by ${filterFlags(filtered)}`;
}
