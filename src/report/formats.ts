// Every format of the report as a sequence of chunks, written an element at a time (src/text/chunked-output.ts):
// to stdout, to --output and to each file of --output-dir alike.

import type { OutputFormat } from '../config/output-format.ts';
import { writeChunksToFile } from '../text/chunked-output.ts';
import { jsonLine } from '../text/json-stream.ts';
import { csvLines } from './csv.ts';
import { htmlChunks } from './html.ts';
import { ocsfLines } from './ocsf.ts';
import { renderTable } from './table.ts';
import { TOOL } from './tool.ts';
import type { Report } from './types.ts';

export interface RenderOptions {
  /** The tool's version, in OCSF's metadata. */
  version: string;
  /** The table's colours and width: a terminal's; a file has none and the default width. */
  color?: boolean;
  width?: number;
}

export function reportChunks(report: Report, format: OutputFormat, options: RenderOptions): Iterable<string> {
  switch (format) {
    case 'json':
      return jsonLine({ ...report }, true);
    case 'csv':
      return csvLines(report);
    case 'html':
      return htmlChunks(report);
    case 'ocsf':
      return ocsfLines(report, { name: TOOL.name, version: options.version });
    case 'table':
      return [renderTable(report, { color: options.color ?? false, width: options.width })];
  }
}

/** The report in `format` into a file, created or replaced; rejects with the file's error (ENOENT, EACCES, ENOSPC). */
export async function writeReportFile(
  report: Report,
  path: string,
  format: OutputFormat = 'json',
  options: RenderOptions = { version: '' },
): Promise<void> {
  writeChunksToFile(reportChunks(report, format, options), path);
}
