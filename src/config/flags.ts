import { parseArgs } from 'node:util';
import { ConfigError } from './errors.ts';
import { AUDIT_OPTIONS, CLI_ONLY_OPTIONS, type CommandValues, type ConfigInput, OPTIONS } from './options.ts';
import { type OutputFormat, outputFileFormat } from './output-format.ts';
import { flagSpecs, readFlags, valuesOfRows } from './read-options.ts';

/** What the printed report and --fail-on see; the audit and what it publishes stay whole. */
type ReportFilter = Pick<CommandValues, 'minSeverity' | 'checks' | 'excludeChecks'>;

/** The CLI's flags: the audit's input, and the CLI's own settings (src/config/options/, the rows `cliOnly`). */
export type CliOptions = Omit<CommandValues, keyof ReportFilter> & {
  input: ConfigInput;
  /** The format --output is written in: --format, else the file's extension, else JSON. */
  outputFormat?: OutputFormat;
  filter: ReportFilter;
};

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
  const read = readFlags(OPTIONS, values);
  const input = valuesOfRows(AUDIT_OPTIONS, read);
  const { minSeverity, checks, excludeChecks, ...command } = valuesOfRows(CLI_ONLY_OPTIONS, read);
  refuseFlagsWithoutTheirPartner(input, command);
  return {
    ...command,
    input,
    ...(command.output ? { outputFormat: outputFileFormat(command.output, command.format) } : {}),
    filter: {
      ...(minSeverity ? { minSeverity } : {}),
      ...(checks ? { checks } : {}),
      ...(excludeChecks ? { excludeChecks } : {}),
    },
  };
}

/** Without --publish nothing is sent: a topic given alone is a mistake, not a quiet no-op; the same for shards. */
function refuseFlagsWithoutTheirPartner(input: ConfigInput, { partOut, merge }: CommandValues): void {
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
