import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CliOptions } from '../config/flags.ts';
import { type OutputFormat, REPORT_FILES } from '../config/output-format.ts';
import { filterReport } from '../report/filter.ts';
import { reportChunks, writeReportFile } from '../report/formats.ts';
import { assertWritable } from '../report/json.ts';
import type { Report } from '../report/types.ts';
import { writeChunks } from '../text/chunked-output.ts';

/** The report could not be written where --output asked: the audit ran, publishing does not start. */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}

/** Before the audit: a typo in the --output path or --output-dir must not cost a whole run's report. */
export function checkOutput(options: CliOptions): void {
  try {
    if (options.output) assertWritable(options.output);
  } catch (error) {
    throw new OutputError(`--output ${(error as Error).message}`);
  }
  if (!options.outputDir) return;
  try {
    mkdirSync(options.outputDir, { recursive: true });
    for (const name of Object.values(REPORT_FILES)) assertWritable(join(options.outputDir, name));
  } catch (error) {
    throw new OutputError(`--output-dir ${options.outputDir}: ${(error as Error).message}`);
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
 * The report, filtered as asked (src/report/filter.ts), to --output in its format, to each file of --output-dir,
 * and to stdout: a table on a terminal, JSON elsewhere, or the --format asked for; `say` tells where --output-dir
 * put the files.
 */
export async function printReport(
  io: Terminal,
  options: CliOptions,
  whole: Report,
  say: (line: string) => void,
): Promise<void> {
  const report = filterReport(whole, options.filter);
  const dir = options.outputDir;
  const files: [string, OutputFormat][] = [
    ...(options.output ? [[options.output, options.outputFormat ?? 'json'] as [string, OutputFormat]] : []),
    ...(dir
      ? Object.entries(REPORT_FILES).map(
          ([format, name]) => [join(dir, name), format as OutputFormat] as [string, OutputFormat],
        )
      : []),
  ];
  for (const [path, format] of files) {
    try {
      await writeReportFile(report, path, format, { version: io.version });
    } catch (error) {
      const flag = path === options.output ? '--output' : '--output-dir';
      throw new OutputError(`could not write ${flag} ${path}: ${(error as Error).message}`);
    }
  }
  const format = formatOf(options, io.stdout);
  const color = format === 'table' && !!io.stdout.isTTY && !io.env.NO_COLOR;
  await writeChunks(
    reportChunks(report, format, { version: io.version, color, width: io.stdout.columns }),
    io.stdout,
  );
  if (dir) say(writtenTo(dir));
}

/** The line that says where --output-dir put each format. */
function writtenTo(dir: string): string {
  return `report written to ${dir}: ${Object.values(REPORT_FILES).join(', ')}`;
}
