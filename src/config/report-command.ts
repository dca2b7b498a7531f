// `eks-oidc-audit report FILE [options]`: a saved JSON report rendered again, in other formats, with other filters
// or the accepted risks of today. It reads nothing from AWS, so the flags of an audit are refused, not ignored.

import { parseArgs } from 'node:util';
import { ConfigError } from './errors.ts';
import { type CliOptions, FLAG_OPTIONS, parseFlags } from './flags.ts';
import { OPTIONS } from './options.ts';

export type Command =
  | { kind: 'audit'; options: CliOptions }
  | { kind: 'report'; file: string; options: CliOptions };

/** What a re-render takes: its outputs, its filters and mutes, and where the mutes' SSM or S3 source is read. */
const REPORT_FLAGS = new Set<string>(OPTIONS.flatMap((row) => ('report' in row ? [row.flag] : [])));

export function parseCommand(argv: readonly string[]): Command {
  if (argv[0] !== 'report') return { kind: 'audit', options: parseFlags([...argv]) };
  const args = argv.slice(1);
  let tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>;
  try {
    ({ tokens } = parseArgs({
      args,
      options: FLAG_OPTIONS,
      strict: true,
      allowPositionals: true,
      tokens: true,
    }));
  } catch (error) {
    throw new ConfigError(`flags: ${(error as Error).message}`);
  }
  const files = tokens.flatMap((token) => (token.kind === 'positional' ? [token] : []));
  for (const token of tokens) {
    if (token.kind === 'option' && !REPORT_FLAGS.has(token.name)) {
      throw new ConfigError(
        `flag --${token.name}: \`report\` renders a saved report again and reads nothing from AWS; ` +
          `--${token.name} belongs to an audit`,
      );
    }
  }
  const options = parseFlags(args.filter((_arg, index) => !files.some((file) => file.index === index)));
  if (options.help) return { kind: 'report', file: '', options };
  const [file, ...more] = files;
  if (!file || more.length > 0) {
    throw new ConfigError(
      `report: expected one saved JSON report (eks-oidc-audit report FILE --format html), got ${files.length === 0 ? 'none' : files.map((f) => f.value).join(' ')}`,
    );
  }
  return { kind: 'report', file: file.value, options };
}
