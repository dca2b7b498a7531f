// The findings as CSV (RFC 4180): one header row, one row per finding, CRLF line ends. Values come from AWS and
// from policies, and the file is opened by spreadsheets in every locale: read with `;` (most European Excel
// locales), a tab or `|` as the separator, or with its quotes ignored, a value's inner text starts cells of its
// own. So a formula character (`=`, `+`, `-`, `@`, tab, carriage return) wherever a cell could start, at the
// value's start or after any separator character, line break or quote (spaces between allowed), gets a `'`
// before it and stays text; and a field holding any separator character, a quote or a line break is quoted.

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

/** A position where some reader's cell could start, followed by a character that would make it a formula. */
const FORMULA_START = /(?<=^|[,;\t|\r\n"]) *(?=[=+\-@\t\r])/g;

export function csvField(value: string): string {
  const text = value.replace(FORMULA_START, "$&'");
  return /[",;\t|\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
