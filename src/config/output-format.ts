// The report's formats, and which one a file is written in: --format, else the format its name ends with, as
// `--output findings.csv` reads. --output-dir writes every format, each under the name REPORT_FILES gives.

import { ConfigError } from './errors.ts';

export const OUTPUT_FORMATS = ['table', 'json', 'csv', 'ocsf', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What --output-dir writes: one file per format (OCSF is JSON Lines, one finding per line). */
export const REPORT_FILES: Record<OutputFormat, string> = {
  json: 'report.json',
  csv: 'report.csv',
  ocsf: 'report.ocsf.jsonl',
  html: 'report.html',
  table: 'report.txt',
};

// Longest first: `x.ocsf.json` is OCSF, not JSON.
const EXTENSIONS: [string, OutputFormat][] = [
  ['.ocsf.jsonl', 'ocsf'],
  ['.ocsf.json', 'ocsf'],
  ['.jsonl', 'ocsf'],
  ['.json', 'json'],
  ['.csv', 'csv'],
  ['.html', 'html'],
  ['.htm', 'html'],
  ['.txt', 'table'],
];

/** The format a file name ends with, if it names one. */
function formatOfPath(path: string): OutputFormat | undefined {
  const lower = path.toLowerCase();
  return EXTENSIONS.find(([extension]) => lower.endsWith(extension))?.[1];
}

/**
 * The format --output is written in: --format, else its extension's, else JSON (what --output always wrote). A
 * file named for another format than --format asks is refused: one of the two is a mistake.
 */
export function outputFileFormat(path: string, format: OutputFormat | undefined): OutputFormat {
  const named = formatOfPath(path);
  if (format && named && named !== format) {
    throw new ConfigError(
      `flag --output: ${path} is named as ${named} but --format is ${format}; ` +
        `name the file for ${format} (${REPORT_FILES[format].replace('report', '…')}) or drop --format`,
    );
  }
  return format ?? named ?? 'json';
}
