import { parseArgs } from 'node:util';
import type { CheckId } from '../model/catalog.ts';
import type { Severity } from '../model/finding.ts';
import { ConfigError } from './errors.ts';
import type { ConfigInput } from './input.ts';
import { OPTIONS, type OptionValues } from './options.ts';
import { type OutputFormat, outputFileFormat } from './output-format.ts';
import { flagSpecs, readFlags } from './read-options.ts';

export interface CliOptions {
  input: ConfigInput;
  format?: OutputFormat;
  output?: string;
  /** The format --output is written in: --format, else the file's extension, else JSON. */
  outputFormat?: OutputFormat;
  /** Where every format is written at once (REPORT_FILES of output-format.ts). */
  outputDir?: string;
  failOn?: Severity;
  /** What the printed report and --fail-on see; the audit and what it publishes stay whole. */
  filter: { minSeverity?: Severity; checks?: CheckId[]; excludeChecks?: CheckId[] };
  help: boolean;
  version: boolean;
  /** Print the check catalog and exit. */
  listChecks: boolean;
  /** With `--shard`: where this shard writes its inventory part instead of a report. */
  partOut?: string;
  /** The merge step: judge these parts (every shard's) as one audit, reading nothing from AWS. */
  merge?: string[];
}

/** The flags parseArgs knows, for the `report` command's own parsing (report-command.ts). */
export const FLAG_OPTIONS = flagSpecs(OPTIONS);

export function parseFlags(argv: string[]): CliOptions {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options: FLAG_OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    // parseArgs already names the flag ("Unknown option '--regon'"); keep its words, drop its code.
    throw new ConfigError(`flags: ${(error as Error).message}`);
  }
  const {
    format,
    output,
    outputDir,
    failOn,
    minSeverity,
    checks,
    excludeChecks,
    help,
    version,
    listChecks,
    partOut,
    merge,
    ...input
  } = readFlags(OPTIONS, values) as OptionValues;
  refuseFlagsWithoutTheirPartner(input, partOut, merge);
  return {
    input,
    format,
    ...(output ? { output, outputFormat: outputFileFormat(output, format) } : {}),
    ...(outputDir ? { outputDir } : {}),
    failOn,
    filter: {
      ...(minSeverity ? { minSeverity } : {}),
      ...(checks ? { checks } : {}),
      ...(excludeChecks ? { excludeChecks } : {}),
    },
    help: help ?? false,
    version: version ?? false,
    listChecks: listChecks ?? false,
    ...(partOut ? { partOut } : {}),
    ...(merge ? { merge } : {}),
  };
}

/** Without --publish nothing is sent: a topic given alone is a mistake, not a quiet no-op; the same for shards. */
function refuseFlagsWithoutTheirPartner(input: ConfigInput, partOut?: string, merge?: string[]): void {
  if (input.securityHub && !input.publish) {
    throw new ConfigError(
      'flag --security-hub: findings go to Security Hub only with --publish; add --publish',
    );
  }
  if (input.shard && !partOut)
    throw new ConfigError('flag --shard: a shard writes its inventory part; add --part-out FILE');
  if (partOut && !input.shard)
    throw new ConfigError('flag --part-out: only a shard writes a part; add --shard I/N');
  if (input.shard && (merge || input.publish))
    throw new ConfigError(
      `flag --shard: a shard only reads and writes its part; ${merge ? '--merge' : '--publish'} belongs to the merge step`,
    );
  if (input.alertTopicArn !== undefined && !input.publish) {
    throw new ConfigError(
      'flag --alert-topic-arn: alerts are only sent with --publish; add --publish or drop the topic',
    );
  }
}
