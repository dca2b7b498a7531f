// Every option of the auditor, declared once: the field it sets and its value type and range, its CLI flag,
// environment variable, serverless.yml param, manual event field, default and `--help` line. The rows live in
// src/config/options/, one file per kind, in the order `--help` lists them. The types of what the sources read
// (ConfigInput, CommandValues, and so AuditConfig and CliOptions), the flag, environment and event readers,
// `--help` and the defaults derive from this table; test/docs/options.test.ts holds README.md's option tables to
// it, and test/deploy/params.test.ts serverless.yml's params.

import { defaultsOf, type OptionRow, type ValuesOf, type WrongDefaults } from './option.ts';
import { COMMAND_OPTIONS } from './options/commands.ts';
import { OUTPUT_OPTIONS } from './options/output.ts';
import { PUBLISHING_OPTIONS } from './options/publishing.ts';
import { READING_OPTIONS } from './options/reading.ts';
import { SCOPE_OPTIONS } from './options/scope.ts';

export const OPTIONS = [
  ...SCOPE_OPTIONS,
  ...OUTPUT_OPTIONS,
  ...PUBLISHING_OPTIONS,
  ...READING_OPTIONS,
  ...COMMAND_OPTIONS,
] as const satisfies readonly OptionRow[];

type Row = (typeof OPTIONS)[number];
type AuditRow = Exclude<Row, { cliOnly: true }>;
type CliOnlyRow = Extract<Row, { cliOnly: true }>;

/** The rows of the audit's settings, which every source may give. */
export const AUDIT_OPTIONS = OPTIONS.filter((row): row is AuditRow => !('cliOnly' in row));
/** The rows of the CLI's own flags. */
export const CLI_ONLY_OPTIONS = OPTIONS.filter((row): row is CliOnlyRow => 'cliOnly' in row);

/** What one source (environment, event, flags) says of the audit; later sources override earlier ones field by field. */
export type ConfigInput = ValuesOf<readonly AuditRow[]>;

/** What the CLI's own flags set: how it prints and filters the report, and what it does instead of an audit. */
export type CommandValues = ValuesOf<readonly CliOnlyRow[]>;

/** The defaults of the options that have one: `DEFAULTS.caWarnDays` is 180. */
export const DEFAULTS = defaultsOf(OPTIONS);

/** An input with the defaults under it: every field that has a default is set. */
export type DefaultedInput = ConfigInput &
  Required<Pick<ConfigInput, keyof typeof DEFAULTS & keyof ConfigInput>>;

// A default that its own row would refuse, or a CLI-only row with a variable, param or event field (their readers
// read the audit's rows only) or a default (resolveConfig would put it in the audit's configuration): the compiler
// names the field here.
true satisfies [WrongDefaults<typeof OPTIONS>] extends [never] ? true : WrongDefaults<typeof OPTIONS>;
type CliOnlyElsewhere = Extract<
  CliOnlyRow,
  { env: string } | { param: string } | { event: string } | { default: unknown }
>['field'];
true satisfies [CliOnlyElsewhere] extends [never] ? true : CliOnlyElsewhere;
