// A pure evaluator for the IAM condition operators trust policies use on OIDC claims, after the IAM user guide
// ("Condition operators", "Single-valued vs. multivalued context keys", "Policy variables"):
// - keys compare case-insensitively, values case-sensitively unless the operator ends in IgnoreCase;
// - several values for one key are ORed; keys within an operator, and operators within a block, are ANDed;
// - negated operators (StringNotEquals, StringNotLike...) are true when none of the values match;
// - a key absent from the request makes a condition false, except that negated operators are then true,
//   `...IfExists` is true, `ForAllValues:` is true (it also is for an empty set) and `ForAnyValue:` is false;
// - StringLike and StringNotLike take `*` (any run of characters, colons included) and `?` (one character);
//   every other string operator compares them literally.
// Evaluation is three-valued: a key whose value the auditor cannot know (a source IP, a session tag) and an
// operator it does not model yield 'unknown', and the callers decide which way unknown leans.

import { exact, valuePool } from '../../runtime/compact.ts';
import { compileGlobPieces, type GlobPiece, type GlobTest, globMatch } from '../../text/glob.ts';

export { globMatch };

export type Truth = boolean | 'unknown';

const STRING_BASES = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
] as const;
export type StringBase = (typeof STRING_BASES)[number];
export type BaseOperator = StringBase | 'Null';

export type SetQualifier = 'ForAllValues' | 'ForAnyValue';

export interface ConditionOperator {
  /** The operator as the policy spells it. */
  raw: string;
  base: BaseOperator;
  qualifier: SetQualifier | undefined;
  ifExists: boolean;
  negated: boolean;
  ignoreCase: boolean;
  /** Whether `*` and `?` are wildcards. */
  like: boolean;
}

export interface ConditionEntry {
  /** The operator as written. */
  operator: string;
  /** Undefined for an operator this evaluator does not model: its entries evaluate to 'unknown'. */
  parsed: ConditionOperator | undefined;
  /** The key as written; keys are not case-sensitive (IAM user guide, "Condition element"). */
  key: string;
  values: readonly string[];
}

export interface Condition {
  entries: ConditionEntry[];
  /** Operators outside the string family and Null, as written. */
  unsupportedOperators: readonly string[];
}

const NO_OPERATORS: readonly string[] = [];

export const EMPTY_CONDITION: Condition = { entries: [], unsupportedOperators: NO_OPERATORS };

/**
 * What the policies parsed by one facts step share: each operator parsed once per spelling, and one list for each
 * value written alone (a trust's action, its audience, the provider it names), held by every statement that writes
 * it. A list and an operator of their own were objects more for each role of an organization (docs/performance.md,
 * "What the facts hold").
 */
export interface ParseShares {
  operator(raw: string): ConditionOperator | undefined;
  /** The list of this one value. */
  single(value: string): readonly string[];
}

/** Nothing shared: for a policy parsed on its own. */
export const UNSHARED: ParseShares = { operator: parseOperator, single: (value) => [value] };

/** Shares for one facts step, let go with it. */
export function parseShares(): ParseShares {
  const operators = new Map<string, ConditionOperator | undefined>();
  const singles = valuePool<readonly string[]>((list) => list[0] ?? '');
  return {
    operator: (raw) => {
      if (operators.has(raw)) return operators.get(raw);
      const parsed = parseOperator(raw);
      operators.set(raw, parsed);
      return parsed;
    },
    single: (value) => singles([value]),
  };
}

export type ConditionParse = { ok: true; condition: Condition } | { ok: false; error: string };

/**
 * IAM would have refused a stored policy with an operator it does not know, so a case variant such as
 * `stringequals` that made it into a role was accepted by IAM: recognising operators case-insensitively is the
 * only reading consistent with the policy existing.
 */
export function parseOperator(raw: string): ConditionOperator | undefined {
  let rest = raw.trim();
  let qualifier: SetQualifier | undefined;
  const colon = rest.indexOf(':');
  if (colon !== -1) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'forallvalues') qualifier = 'ForAllValues';
    else if (prefix === 'foranyvalue') qualifier = 'ForAnyValue';
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'ifexists'.length);
  }
  const lower = rest.toLowerCase();
  if (lower === 'null') {
    // Null takes neither a set qualifier nor IfExists: it is itself the existence test.
    if (qualifier !== undefined || ifExists) return undefined;
    return { raw, base: 'Null', qualifier, ifExists, negated: false, ignoreCase: false, like: false };
  }
  const base = STRING_BASES.find((name) => name.toLowerCase() === lower);
  if (base === undefined) return undefined;
  return {
    raw,
    base,
    qualifier,
    ifExists,
    negated: base.includes('Not'),
    ignoreCase: base.endsWith('IgnoreCase'),
    like: base === 'StringLike' || base === 'StringNotLike',
  };
}

/** Parses a statement's `Condition` element; never throws. */
export function parseCondition(raw: unknown, shares: ParseShares = UNSHARED): ConditionParse {
  if (raw === undefined) return { ok: true, condition: EMPTY_CONDITION };
  if (!isPlainObject(raw)) return { ok: false, error: 'Condition is not an object' };
  const entries: ConditionEntry[] = [];
  const unsupported: string[] = [];
  for (const [operator, block] of Object.entries(raw)) {
    if (!isPlainObject(block))
      return { ok: false, error: `Condition operator ${operator} does not hold an object` };
    const parsed = shares.operator(operator);
    if (parsed === undefined) unsupported.push(operator);
    for (const [key, value] of Object.entries(block)) {
      const values = scalarList(value, shares);
      if (values === undefined) {
        return {
          ok: false,
          error: `Condition ${operator} ${key} has a value that is not a string, number or boolean`,
        };
      }
      entries.push({ operator, parsed, key, values });
    }
  }
  return {
    ok: true,
    condition: {
      entries: exact(entries),
      unsupportedOperators: unsupported.length === 0 ? NO_OPERATORS : unsupported,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Values: literal text, wildcards and policy variables.

export type ValuePiece =
  | { kind: 'text'; text: string }
  | { kind: 'star' }
  | { kind: 'one' }
  | { kind: 'variable'; key: string; fallback: string | undefined };

export interface ValueOptions {
  /** Policy variables (`${aws:username}`) are substituted only under policy language version 2012-10-17. */
  policyVariables: boolean;
}

const DEFAULT_VALUE_OPTIONS: ValueOptions = { policyVariables: true };

/**
 * Splits a condition value into pieces. `${*}`, `${?}` and `${$}` are the documented escapes for literal
 * characters; `${key}` and `${key, 'default'}` are variables.
 */
export function valuePieces(
  value: string,
  like: boolean,
  options: ValueOptions = DEFAULT_VALUE_OPTIONS,
): ValuePiece[] {
  const pieces: ValuePiece[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') pieces.push({ kind: 'text', text });
    text = '';
  };
  for (let index = 0; index < value.length; index++) {
    const char = value[index] ?? '';
    if (options.policyVariables && char === '$' && value[index + 1] === '{') {
      const end = value.indexOf('}', index + 2);
      if (end !== -1) {
        const inner = value.slice(index + 2, end).trim();
        index = end;
        if (inner === '*' || inner === '?' || inner === '$') {
          text += inner;
          continue;
        }
        const withDefault = /^([^,]+?)\s*,\s*'(.*)'$/.exec(inner);
        flush();
        pieces.push({
          kind: 'variable',
          key: (withDefault?.[1] ?? inner).trim(),
          fallback: withDefault ? withDefault[2] : undefined,
        });
        continue;
      }
    }
    if (like && (char === '*' || char === '?')) {
      flush();
      pieces.push({ kind: char === '*' ? 'star' : 'one' });
      continue;
    }
    text += char;
  }
  flush();
  return pieces;
}

/** Whether a value has a wildcard that the operator treats as one (escapes and literal operators excluded). */
export function hasWildcard(
  value: string,
  like: boolean,
  options: ValueOptions = DEFAULT_VALUE_OPTIONS,
): boolean {
  return valuePieces(value, like, options).some((piece) => piece.kind === 'star' || piece.kind === 'one');
}

/** Whether a value refers to a policy variable other than the escapes. */
export function hasPolicyVariable(value: string, options: ValueOptions = DEFAULT_VALUE_OPTIONS): boolean {
  return valuePieces(value, false, options).some((piece) => piece.kind === 'variable');
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation.

/** What is known of one key in a request: its values, absence (undefined), or 'unknown'. */
export type KeyValue = readonly string[] | undefined | 'unknown';

export type Resolver = (key: string) => KeyValue;

/** A concrete request context: key → value(s); keys compare case-insensitively, absent keys are absent. */
export type RequestContext = Readonly<Record<string, string | readonly string[]>>;

export function resolverOf(context: RequestContext): Resolver {
  const byKey = new Map<string, readonly string[]>();
  for (const [key, value] of Object.entries(context)) {
    byKey.set(key.toLowerCase(), typeof value === 'string' ? [value] : value);
  }
  return (key) => byKey.get(key.toLowerCase());
}

export function and(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  return a === 'unknown' || b === 'unknown' ? 'unknown' : true;
}

export function or(a: Truth, b: Truth): Truth {
  if (a === true || b === true) return true;
  return a === 'unknown' || b === 'unknown' ? 'unknown' : false;
}

export function not(a: Truth): Truth {
  return a === 'unknown' ? 'unknown' : !a;
}

/** Evaluates a condition against a concrete request: 'unknown' only for unmodelled operators. */
export function evaluate(condition: Condition, context: RequestContext, options?: ValueOptions): Truth {
  return evaluateWith(condition, resolverOf(context), options);
}

/** Evaluates a condition with a resolver that may answer 'unknown' for keys the caller cannot know. */
export function evaluateWith(
  condition: Condition,
  resolve: Resolver,
  options = DEFAULT_VALUE_OPTIONS,
): Truth {
  let result: Truth = true;
  for (const entry of condition.entries) {
    result = and(result, evaluateEntry(entry, resolve, options));
    if (result === false) return false;
  }
  return result;
}

export function evaluateEntry(
  entry: ConditionEntry,
  resolve: Resolver,
  options = DEFAULT_VALUE_OPTIONS,
): Truth {
  const operator = entry.parsed;
  if (operator === undefined) return 'unknown';
  const found = resolve(entry.key);
  if (found === 'unknown') return 'unknown';
  const absent = found === undefined || found.length === 0;

  if (operator.base === 'Null') {
    // `Null: true` asks for the key to be absent; several values are ORed like any other.
    return entry.values.reduce<Truth>(
      (acc, value) => or(acc, value.toLowerCase() === 'true' ? absent : !absent),
      false,
    );
  }
  if (absent) {
    if (operator.ifExists) return true;
    if (operator.qualifier === 'ForAllValues') return true;
    if (operator.qualifier === 'ForAnyValue') return false;
    return operator.negated;
  }

  const predicate = (requestValue: string): Truth => {
    const matched = entry.values.reduce<Truth>(
      (acc, policyValue) => or(acc, matchValue(operator, policyValue, requestValue, resolve, options)),
      false,
    );
    return operator.negated ? not(matched) : matched;
  };
  const results = found.map(predicate);
  if (operator.qualifier === 'ForAllValues') return results.reduce<Truth>(and, true);
  if (operator.qualifier === 'ForAnyValue') return results.reduce<Truth>(or, false);
  // Without a qualifier on a key that carries several values (IAM calls this undefined behaviour), a positive
  // operator is read as "some value matches" and a negated one as "no value matches": the permissive reading
  // for an Allow, which is the side an auditor should err on.
  return operator.negated ? results.reduce<Truth>(and, true) : results.reduce<Truth>(or, false);
}

function matchValue(
  operator: ConditionOperator,
  policyValue: string,
  requestValue: string,
  resolve: Resolver,
  options: ValueOptions,
): Truth {
  const parsed = parsedValue(policyValue, operator, options);
  if (parsed.test) return parsed.test(requestValue);
  const pieces: GlobPiece[] = [];
  for (const piece of parsed.pieces) {
    if (piece.kind !== 'variable') {
      pieces.push(piece);
      continue;
    }
    const value = resolve(piece.key);
    if (value === 'unknown') return 'unknown';
    // Multivalued keys cannot be variables; treat them as unknowable rather than guess.
    if (value !== undefined && value.length > 1) return 'unknown';
    const text = value?.[0] ?? piece.fallback;
    // An unresolvable variable without a default makes that value match nothing (inference from the guide's
    // "the policy variable ... evaluates to null").
    if (text === undefined) return false;
    pieces.push({ kind: 'text', text });
  }
  // Filled from the request, so matched once: only values with a policy variable get here.
  return globMatch(pieces, requestValue, operator.ignoreCase);
}

interface ParsedValue {
  pieces: ValuePiece[];
  /** The value compiled, for a value without policy variables: the same for every request. */
  test: GlobTest | undefined;
}

// Policies repeat few distinct values while probes evaluate them thousands of times: parse and compile each
// value once.
const parsedValues = new Map<string, ParsedValue>();

function parsedValue(value: string, operator: ConditionOperator, options: ValueOptions): ParsedValue {
  const { like, ignoreCase } = operator;
  const cacheKey = `${like ? 'L' : 'E'}${ignoreCase ? 'I' : 'C'}${options.policyVariables ? 'V' : '-'}${value}`;
  let parsed = parsedValues.get(cacheKey);
  if (parsed === undefined) {
    const pieces = valuePieces(value, like, options);
    const fixed = pieces.filter((piece): piece is GlobPiece => piece.kind !== 'variable');
    parsed = {
      pieces,
      test: fixed.length === pieces.length ? compileGlobPieces(fixed, ignoreCase) : undefined,
    };
    parsedValues.set(cacheKey, parsed);
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The values as strings: a list of strings as it is, a string alone as the shared list of it. */
function scalarList(value: unknown, shares: ParseShares): readonly string[] | undefined {
  if (typeof value === 'string') return shares.single(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') out.push(item);
    else if (typeof item === 'number' || typeof item === 'boolean') out.push(String(item));
    else return undefined;
  }
  return exact(out);
}
