// `eks-oidc-audit --list-checks`: the catalog as a table for a person, JSON for tools, CSV for a spreadsheet,
// narrowed by the same --severity, --checks and --exclude-checks as a report.

import { ConfigError } from '../config/errors.ts';
import type { OutputFormat } from '../config/output-format.ts';
import { atOrAbove } from '../model/finding.ts';
import { type CatalogEntry, catalogEntries, plain, severityText } from './catalog.ts';
import { csvField } from './csv.ts';
import type { FindingFilter } from './filter.ts';

/** The checks the filter leaves: with --severity, those that can find something at or above it. */
export function listedChecks(filter: FindingFilter): CatalogEntry[] {
  return catalogEntries().filter(
    (entry) =>
      (filter.minSeverity === undefined ||
        entry.severities.some((severity) => atOrAbove(severity, filter.minSeverity ?? severity))) &&
      (!filter.checks?.length || filter.checks.includes(entry.id)) &&
      !(filter.excludeChecks ?? []).includes(entry.id),
  );
}

export function checkList(entries: CatalogEntry[], format: OutputFormat): string {
  switch (format) {
    case 'table':
      return checksText(entries);
    case 'json':
      return `${JSON.stringify(entries, null, 2)}\n`;
    case 'csv':
      return checksCsv(entries);
    default:
      throw new ConfigError(`flag --format: --list-checks prints table, json or csv, not ${format}`);
  }
}

/** One heading per family, in the catalog's order of first appearance; columns as wide as their widest cell. */
function checksText(entries: CatalogEntry[]): string {
  if (entries.length === 0) return 'No check matches.\n';
  const idWidth = Math.max(...entries.map((entry) => entry.id.length));
  const severityWidth = Math.max(...entries.map((entry) => severityText(entry).length));
  const families = Map.groupBy(entries, (entry) => entry.family);
  const blocks = [...families].map(([family, group]) =>
    [
      family,
      ...group.map(
        (entry) =>
          `  ${entry.id.padEnd(idWidth)}  ${severityText(entry).padEnd(severityWidth)}  ${plain(entry.finds)}`,
      ),
    ].join('\n'),
  );
  return `${blocks.join('\n\n')}\n`;
}

const COLUMNS = ['id', 'family', 'severities', 'finds', 'symptom', 'docs'] as const;

/** RFC 4180, CRLF line ends, each field neutralised as the findings' CSV is (csv.ts). */
function checksCsv(entries: CatalogEntry[]): string {
  const rows = entries.map((entry) =>
    [entry.id, entry.family, entry.severities.join(' '), plain(entry.finds), plain(entry.symptom), entry.docs]
      .map(csvField)
      .join(','),
  );
  return [COLUMNS.join(','), ...rows].map((row) => `${row}\r\n`).join('');
}
