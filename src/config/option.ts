// What one row of an options table (src/config/options.ts, src/config/fan-out.ts) says, and the types a table's
// rows make: the values a source reads, the defaults.

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

/**
 * One option, and every name it goes by. Rows are checked against this loose shape; the field's type is made from
 * the rows (ValuesOf), and WrongDefaults holds each default to its row's value type.
 */
export interface OptionRow {
  /** The field it sets; several rows may set one field (one per source form, as the accepted risks' three). */
  field: string;
  type: ValueType<unknown>;
  /** The CLI's own setting (how it prints, what it does instead of an audit), not one of the audit's. */
  cliOnly?: true;
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
  default?: unknown;
  /** The flag's line of `--help`; a flag without one is not listed. */
  help?: OptionHelp;
}

/** The value a row's type reads. */
type ValueOf<Row> = Row extends { type: ValueType<infer Value> } ? Value : never;

/** What a source read of a table: each row's field, of the value type of the rows that set it; absent when not given. */
export type ValuesOf<Table extends readonly OptionRow[]> = {
  [Row in Table[number] as Row['field']]?: ValueOf<Row>;
};

/** The fields of rows whose default is not of their value type; `never` when every default fits. */
export type WrongDefaults<Table extends readonly OptionRow[]> = Table[number] extends infer Row
  ? Row extends { field: string; default: infer Default }
    ? Default extends ValueOf<Row>
      ? never
      : Row['field']
    : never
  : never;

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
