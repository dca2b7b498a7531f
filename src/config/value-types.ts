// How an option's value reads from each place it can be given: the text of a flag or an environment variable,
// and the JSON of an event field. An option has one value type, so its range is written once and every source
// keeps to it (src/config/options.ts).

import * as z from 'zod';
import { booleanString, csv, intString } from './input.ts';

export interface ValueType<T> {
  /** An environment variable's text, and a flag's when the flag takes a value. */
  text: z.ZodType<T, string>;
  /** How the flag is given: with a value, as a switch (`--publish`), or again and again (`--connect-to`). */
  flag: 'value' | 'switch' | 'repeated';
  /** The flag's value as node:util parseArgs returns it: the text, `true`, or the list of texts. */
  fromFlag: z.ZodType<T>;
  /** An event field's JSON; absent when the value has no JSON form. */
  json?: z.ZodType<T>;
}

/** A whole number from min to max: `--ca-warn-days 30`, `CA_WARN_DAYS=30`, `"caWarnDays": 30`. */
export function wholeNumber(min: number, max: number): ValueType<number> {
  const text = intString(min, max);
  return {
    text,
    flag: 'value',
    fromFlag: text,
    json: z
      .number({ error: `expected a whole number from ${min} to ${max}` })
      .int(`expected a whole number from ${min} to ${max}`)
      .min(min, `expected at least ${min}`)
      .max(max, `expected at most ${max}`),
  };
}

/** On or off: a switch as a flag, `true`/`false` in the environment, a boolean in an event. */
export const onOff: ValueType<boolean> = {
  text: booleanString,
  flag: 'switch',
  fromFlag: z.boolean(),
  json: z.boolean({ error: 'expected true or false' }),
};

/** A value read from its text wherever it is given; `json` when an event field may carry it in another form. */
export function textual<T>(text: z.ZodType<T, string>, json?: z.ZodType<T>): ValueType<T> {
  return { text, flag: 'value', fromFlag: text, ...(json ? { json } : {}) };
}

/** A flag given once per value (`--connect-to A --connect-to B`), comma-separated in the environment. */
export function repeated(item: z.ZodType<string, string>): ValueType<string[]> {
  return { text: csv(item), flag: 'repeated', fromFlag: z.array(item) };
}
