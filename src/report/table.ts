import { CHECK_IDS } from '../model/catalog.ts';
import { type Finding, SEVERITIES, type Severity } from '../model/finding.ts';

/** Check ids in one column: as wide as the longest id of the catalog. */
const CHECK_WIDTH = Math.max(...CHECK_IDS.map((id) => id.length));

import { printable, printableLines } from '../text/quote.ts';
import { accountLabel } from './account-label.ts';
import { filterNote } from './filter.ts';
import { scopeCounts } from './scope-counts.ts';
import type { Report } from './types.ts';
import { fixLines, wrap } from './wrap.ts';

export interface TableOptions {
  color: boolean;
  /** Terminal width; long messages wrap to it. */
  width?: number;
}

const COLORS: Record<Severity, string> = {
  critical: '\x1b[1;31m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[2m',
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';

/** The report for a person: a summary, then findings grouped by severity, each with its fix. */
export function renderTable(report: Report, options: TableOptions): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  const width = Math.max(60, Math.min(options.width ?? 120, 160));
  const s = report.summary;
  const lines: string[] = [];
  lines.push(
    paint(BOLD, 'EKS OIDC audit') +
      `  ${scopeCounts(report)} · ` +
      `${s.clusters} cluster${plural(s.clusters)} · ${s.providers} provider${plural(s.providers)} · ${s.roles} role${plural(s.roles)}`,
  );
  const counts = SEVERITIES.map((sev) =>
    paint(s.findings[sev] > 0 ? COLORS[sev] : DIM, `${sev} ${s.findings[sev]}`),
  );
  lines.push(
    `findings: ${counts.join('  ')}   audit errors: ${s.errors}` +
      (s.muted !== undefined ? `   muted: ${s.muted}` : ''),
  );
  const hidden = filterNote(report);
  if (hidden) lines.push(paint(COLORS.medium, hidden));
  const suppressions = report.suppressions;
  if (suppressions && (suppressions.stale.length > 0 || suppressions.expired.length > 0)) {
    const parts = [
      ...(suppressions.expired.length > 0
        ? [`expired entries ${suppressions.expired.map((e) => `#${e.entry} (${e.expires})`).join(', ')}`]
        : []),
      ...(suppressions.stale.length > 0
        ? [`entries matching nothing ${suppressions.stale.map((e) => `#${e.entry}`).join(', ')}`]
        : []),
    ];
    lines.push(paint(COLORS.medium, `suppressions ${printable(suppressions.source)}: ${parts.join('; ')}`));
  }
  // What the run could not see, before any finding: a short list must not read as "all clear".
  const { coverage } = s;
  if (coverage.percent < 100 || coverage.blindAccounts.length > 0) {
    const blind = coverage.blindAccounts.map((id) => accountLabel(report.scope.accountNames, id));
    lines.push(
      paint(
        COLORS.high,
        `coverage: ${coverage.percent}% of ${coverage.pairsInScope} account × region pairs` +
          (blind.length > 0 ? `; could not read at all: ${blind.join(', ')}` : ''),
      ),
    );
  }

  if (coverage.kubernetes && coverage.kubernetes.read < coverage.kubernetes.clusters)
    lines.push(
      paint(
        COLORS.high,
        `kubernetes: ${coverage.kubernetes.read} of ${coverage.kubernetes.clusters} clusters read (see the kubernetes-access and kubernetes-unreachable audit errors)`,
      ),
    );

  if (report.findings.length === 0) {
    lines.push(
      '',
      s.errors > 0 ? 'No findings in what was audited; see the audit errors above.' : 'No findings.',
    );
    return `${lines.join('\n')}\n`;
  }
  for (const severity of SEVERITIES) {
    const group = report.findings.filter((f) => f.severity === severity && !f.muted);
    if (group.length === 0) continue;
    lines.push('', paint(COLORS[severity], `${severity.toUpperCase()} (${group.length})`));
    for (const finding of group)
      lines.push(...renderFinding(finding, width, paint, report.scope.accountNames));
  }
  const muted = report.findings.filter((f) => f.muted);
  if (muted.length > 0) {
    lines.push('', paint(DIM, `MUTED (${muted.length}): accepted risks, not alerted or counted`));
    for (const finding of muted) {
      const why = `${finding.severity}; entry #${finding.muted?.entry}: ${finding.muted?.reason}${finding.muted?.expires ? ` (until ${finding.muted.expires})` : ''}`;
      lines.push(
        `  ${printable(finding.check).padEnd(CHECK_WIDTH)} ${accountLabel(report.scope.accountNames, finding.accountId)} / ${printable(finding.cluster ?? shortResource(finding.resource))}`,
        ...wrap(printable(why), width - 6).map((line) => `      ${paint(DIM, line)}`),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function renderFinding(
  finding: Finding,
  width: number,
  paint: (code: string, text: string) => string,
  names: Readonly<Record<string, string>> | undefined,
): string[] {
  // Findings are made printable when they are built; escaped again here because a report can come from
  // elsewhere (a file, an older version), and a terminal obeys escape sequences.
  const where = [
    finding.accountId === '' ? '' : accountLabel(names, finding.accountId),
    printable(finding.region ?? 'global'),
    printable(finding.cluster ?? shortResource(finding.resource)),
  ]
    .filter((part) => part !== '')
    .join(' / ');
  return [
    `  ${paint(BOLD, printable(finding.check).padEnd(CHECK_WIDTH))} ${where}`,
    ...wrap(printable(finding.message), width - 6).map((line) => `      ${line}`),
    ...fixLines(printableLines(finding.remediation), width - 6).map((line) => `      ${paint(DIM, line)}`),
  ];
}

/** The part of an ARN a person recognises: `role/app`, `oidc-provider/oidc.eks...`, `cluster/prod`. */
export function shortResource(resource: string): string {
  if (!resource.startsWith('arn:')) return resource;
  return resource.split(':').slice(5).join(':');
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
