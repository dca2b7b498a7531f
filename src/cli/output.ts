import type { CliOptions } from '../config/flags.ts';
import { csvLines } from '../report/csv.ts';
import { filterReport } from '../report/filter.ts';
import { htmlChunks } from '../report/html.ts';
import { assertWritable, writeReportFile, writeReportJson } from '../report/json.ts';
import { ocsfLines } from '../report/ocsf.ts';
import { renderTable } from '../report/table.ts';
import type { Report } from '../report/types.ts';
import { writeChunks } from '../text/chunked-output.ts';

/** The report could not be written where --output asked: the audit ran, publishing does not start. */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}

/** Before the audit: a typo in the --output path must not cost a whole run's report. */
export function checkOutput(options: CliOptions): void {
  try {
    if (options.output) assertWritable(options.output);
  } catch (error) {
    throw new OutputError(`--output ${(error as Error).message}`);
  }
}

/** The --format asked for; else a table on a terminal and JSON elsewhere (a pipe, a file, CI logs). */
export function formatOf(options: Pick<CliOptions, 'format'>, stdout: Pick<NodeJS.WriteStream, 'isTTY'>) {
  return options.format ?? (stdout.isTTY ? 'table' : 'json');
}

export interface Terminal {
  stdout: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
  version: string;
}

/**
 * The report to --output (JSON) and to stdout: a table on a terminal, JSON elsewhere, or the --format asked for;
 * both filtered as asked (src/report/filter.ts).
 */
export async function printReport(io: Terminal, options: CliOptions, whole: Report): Promise<void> {
  const report = filterReport(whole, options.filter);
  if (options.output) {
    try {
      await writeReportFile(report, options.output);
    } catch (error) {
      throw new OutputError(`could not write --output ${options.output}: ${(error as Error).message}`);
    }
  }
  switch (formatOf(options, io.stdout)) {
    case 'json':
      await writeReportJson(report, io.stdout);
      return;
    case 'csv':
      await writeChunks(csvLines(report), io.stdout);
      return;
    case 'html':
      await writeChunks(htmlChunks(report), io.stdout);
      return;
    case 'ocsf':
      await writeChunks(ocsfLines(report, { name: 'eks-oidc-auditor', version: io.version }), io.stdout);
      return;
    case 'table': {
      const color = !!io.stdout.isTTY && !io.env.NO_COLOR;
      io.stdout.write(renderTable(report, { color, width: io.stdout.columns }));
    }
  }
}
