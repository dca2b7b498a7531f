// The readers the options table (src/config/options.ts) gives each source: a schema per source, built from the
// rows that name it, and the values it read set on the rows' fields. Errors name the flag, variable or field.

import * as z from 'zod';
import { ConfigError, configErrorFrom } from './errors.ts';
import type { OptionRow, ValuesOf } from './option.ts';

type Source = 'flag' | 'env' | 'event';

/** What node:util parseArgs is told of each flag. */
export function flagSpecs(table: readonly OptionRow[]) {
  const specs: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const row of table) {
    if (row.flag === undefined) continue;
    specs[row.flag] = {
      type: row.type.flag === 'switch' ? 'boolean' : 'string',
      ...(row.type.flag === 'repeated' ? { multiple: true } : {}),
      ...(row.short ? { short: row.short } : {}),
    };
  }
  return specs;
}

// An empty variable is unset: serverless.yml writes '' for a param left at "not set".
const unlessEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

function schemaOf(row: OptionRow, source: Source): z.ZodType {
  if (source === 'flag') return row.type.fromFlag.optional();
  if (source === 'env') return unlessEmpty(row.type.text);
  if (!row.type.json) throw new Error(`options table: event field ${row.event} has no JSON form`);
  return row.type.json.optional();
}

/** The rows a source names, by the name it gives them. */
function rowsOf(table: readonly OptionRow[], source: Source): Map<string, OptionRow> {
  return new Map(table.flatMap((row) => (row[source] === undefined ? [] : [[row[source], row] as const])));
}

/** The object schema of a source's names: `{ CA_WARN_DAYS: …, AUDIT_REGIONS: … }`. */
export function shapeOf(table: readonly OptionRow[], source: Source): Record<string, z.ZodType> {
  return Object.fromEntries([...rowsOf(table, source)].map(([name, row]) => [name, schemaOf(row, source)]));
}

/** The values a source read, each on its row's field; names the source did not give are left out. */
export function fieldsOf<const Table extends readonly OptionRow[]>(
  table: Table,
  source: Source,
  read: Record<string, unknown>,
): ValuesOf<Table> {
  const fields: Record<string, unknown> = {};
  for (const [name, row] of rowsOf(table, source)) {
    if (read[name] !== undefined) fields[row.field] = read[name];
  }
  // Each value was read by its row's schema, whose output is the row's value type.
  return fields as ValuesOf<Table>;
}

/** The values that set a field of the table's rows, the others left out: the audit's of all the flags read. */
export function valuesOfRows<const Table extends readonly OptionRow[]>(
  table: Table,
  values: Record<string, unknown>,
): ValuesOf<Table> {
  const fields = new Set(table.map((row) => row.field));
  return Object.fromEntries(Object.entries(values).filter(([field]) => fields.has(field))) as ValuesOf<Table>;
}

/**
 * Reads the environment's variables of the table. Unknown variables are the environment's business: only the
 * table's are read. Two variables that set one field cannot both be set.
 */
export function readEnv<const Table extends readonly OptionRow[]>(
  table: Table,
  env: Record<string, string | undefined>,
): ValuesOf<Table> {
  const parsed = z
    .object(shapeOf(table, 'env'))
    .superRefine((values, ctx) => refuseTwoForOneField(table, values, ctx))
    .safeParse(env);
  if (!parsed.success) throw configErrorFrom('environment variable', parsed.error);
  return fieldsOf(table, 'env', parsed.data);
}

function refuseTwoForOneField(
  table: readonly OptionRow[],
  values: Record<string, unknown>,
  ctx: z.RefinementCtx,
): void {
  const byField = new Map<string, string[]>();
  for (const [name, row] of rowsOf(table, 'env'))
    byField.set(row.field, [...(byField.get(row.field) ?? []), name]);
  for (const names of byField.values()) {
    const given = names.filter((name) => values[name] !== undefined);
    if (given.length < 2) continue;
    ctx.addIssue({
      code: 'custom',
      path: [given[given.length - 1] as string],
      message: `expected at most one of ${names.join(' and ')}`,
    });
  }
}

/** Reads flags as parseArgs returned them: `flag --ca-warn-days: expected …` when one is bad. */
export function readFlags<const Table extends readonly OptionRow[]>(
  table: Table,
  values: Record<string, unknown>,
): ValuesOf<Table> {
  const parsed = z.strictObject(shapeOf(table, 'flag')).safeParse(values);
  if (!parsed.success) {
    const error = configErrorFrom('flag', parsed.error);
    throw new ConfigError(error.message.replace(/^flag (\S+):/gm, 'flag --$1:'));
  }
  return fieldsOf(table, 'flag', parsed.data);
}
