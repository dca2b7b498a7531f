// Every option of the auditor, declared once: its value type and range, its CLI flag, environment variable,
// serverless.yml param, manual event field, default and `--help` line. The rows live in src/config/options/, one
// file per kind, in the order `--help` lists them. The flag, environment and event readers, `--help` and the
// defaults derive from this table; test/docs/options.test.ts holds README.md's option tables to it, and
// test/deploy/params.test.ts serverless.yml's params.

import type { CheckId } from '../model/catalog.ts';
import type { Severity } from '../model/finding.ts';
import type { ConfigInput } from './input.ts';
import { type AnyOption, defaultsOf } from './option.ts';
import { COMMAND_OPTIONS } from './options/commands.ts';
import { OUTPUT_OPTIONS } from './options/output.ts';
import { PUBLISHING_OPTIONS } from './options/publishing.ts';
import { READING_OPTIONS } from './options/reading.ts';
import { SCOPE_OPTIONS } from './options/scope.ts';
import type { OutputFormat } from './output-format.ts';

/** What the CLI's own flags set: how it prints and filters the report, and what it does instead of an audit. */
interface CommandValues {
  format?: OutputFormat;
  output?: string;
  outputDir?: string;
  failOn?: Severity;
  minSeverity?: Severity;
  checks?: CheckId[];
  excludeChecks?: CheckId[];
  help?: boolean;
  version?: boolean;
  listChecks?: boolean;
  partOut?: string;
  merge?: string[];
}

export type OptionValues = ConfigInput & CommandValues;

export const OPTIONS = [
  ...SCOPE_OPTIONS,
  ...OUTPUT_OPTIONS,
  ...PUBLISHING_OPTIONS,
  ...READING_OPTIONS,
  ...COMMAND_OPTIONS,
] as const satisfies readonly AnyOption<OptionValues>[];

/** The defaults of the options that have one: `DEFAULTS.caWarnDays` is 180. */
export const DEFAULTS = defaultsOf(OPTIONS);

// A field of ConfigInput or CommandValues that no row sets could never be given: the compiler names it here.
type FieldsWithoutRow = Exclude<keyof OptionValues, (typeof OPTIONS)[number]['field']>;
true satisfies [FieldsWithoutRow] extends [never] ? true : FieldsWithoutRow;
