import type { CliOptions } from '../config/flags.ts';
import { assertWritable, writeReportFile, writeReportJson } from '../report/json.ts';
import { renderTable } from '../report/table.ts';
import type { Report } from '../report/types.ts';

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

export interface Terminal {
  stdout: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
}

/** The report to --output (the whole JSON) and to stdout: a table on a terminal, JSON elsewhere. */
export async function printReport(io: Terminal, options: CliOptions, report: Report): Promise<void> {
  if (options.output) {
    try {
      await writeReportFile(report, options.output);
    } catch (error) {
      throw new OutputError(`could not write --output ${options.output}: ${(error as Error).message}`);
    }
  }
  const format = options.format ?? (io.stdout.isTTY ? 'table' : 'json');
  if (format === 'json') await writeReportJson(report, io.stdout);
  else {
    const color = !!io.stdout.isTTY && !io.env.NO_COLOR;
    io.stdout.write(renderTable(report, { color, width: io.stdout.columns }));
  }
}
