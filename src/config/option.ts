// What one row of the options table (src/config/options.ts) says, and the types derived from the whole table.

import type { ValueType } from './value-types.ts';

/** The `--help` sections, in the order they are printed; `''` is the last, untitled one. */
export const HELP_SECTIONS = [
  'Scope',
  'Output',
  'Publishing (with --publish)',
  'Kubernetes (docs/kubernetes.md)',
  'Probing',
  'Time',
  'Splitting an audit (docs/fan-out.md)',
  '',
] as const;

export interface OptionHelp {
  section: (typeof HELP_SECTIONS)[number];
  /** What the flag takes, as `--help` shows it after the flag: `N`, `id1,id2 | org`. */
  arg?: string;
  text: string;
}

/** One option, and every name it goes by; `field` is the field of `Values` it sets. */
interface Option<Values, Field extends keyof Values = keyof Values> {
  field: Field;
  type: ValueType<NonNullable<Values[Field]>>;
  /** The CLI flag, without its dashes. */
  flag?: string;
  /** A one-letter alias of the flag. */
  short?: string;
  /** The flag also applies to `report FILE`, which renders a saved report again and reads nothing from AWS. */
  report?: true;
  /** The environment variable (the Lambda's, and the CLI's under its flags). */
  env?: string;
  /** The serverless.yml param that sets `env` in the deployed functions' environment. */
  param?: string;
  /** The field of a manual Lambda event. */
  event?: string;
  /** What applies when no source gives a value. */
  default?: NonNullable<Values[Field]>;
  /** The flag's line of `--help`; a flag without one is not listed. */
  help?: OptionHelp;
}

/** Any row of a table over `Values`, its value type matching its field's. */
export type AnyOption<Values> = { [Field in keyof Values]-?: Option<Values, Field> }[keyof Values];

/** The defaults of a table declared `as const`: field → default, for the rows that have one. */
type DefaultsOf<Table extends readonly unknown[]> = {
  [Row in Table[number] as Row extends { field: string; default: unknown }
    ? Row['field']
    : never]: Row extends {
    default: infer Default;
  }
    ? Default
    : never;
};

export function defaultsOf<const Table extends readonly { field: PropertyKey; default?: unknown }[]>(
  table: Table,
): DefaultsOf<Table> {
  return Object.fromEntries(
    table.flatMap((row) => (row.default === undefined ? [] : [[row.field, row.default]])),
  ) as DefaultsOf<Table>;
}
