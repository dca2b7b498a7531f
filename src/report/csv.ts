// The findings as CSV (RFC 4180): one header row, one row per finding, CRLF line ends, every field quoted when it
// holds a comma, a quote or a line break. Values come from AWS and from policies: a cell that a spreadsheet would
// read as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is prefixed with `'` so it stays text.

import type { Report } from './types.ts';

const COLUMNS = [
  'id',
  'check',
  'severity',
  'account_id',
  'account_name',
  'region',
  'resource',
  'cluster',
  'message',
  'remediation',
  'muted_reason',
] as const;

/** The findings as CSV, a line at a time: an organization's can outgrow one string (src/text/chunked-output.ts). */
export function* csvLines(report: Report): Generator<string> {
  const names = report.scope.accountNames ?? {};
  yield `${COLUMNS.join(',')}\r\n`;
  for (const finding of report.findings) {
    const row = [
      finding.id,
      finding.check,
      finding.severity,
      finding.accountId,
      names[finding.accountId] ?? '',
      finding.region ?? '',
      finding.resource,
      finding.cluster ?? '',
      finding.message,
      finding.remediation,
      finding.muted?.reason ?? '',
    ];
    yield `${row.map(csvField).join(',')}\r\n`;
  }
}

export function csvField(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
