// DynamoDB (awsJson1_0, `X-Amz-Target: DynamoDB_20120810.<Op>`): the tables the world declares
// (`dynamodbTables`), per account and region, with the item operations the alert state store uses: GetItem,
// PutItem, UpdateItem (condition and update expressions), Scan (1 MB pages). Conditional writes are atomic
// here as in DynamoDB: handlers run synchronously, one request at a time.

import { ApiError } from '../errors.ts';
import type { JsonObject } from '../protocols/json.ts';
import type { SandboxState } from '../state.ts';
import type { CallContext, JsonService } from './types.ts';

/** An AttributeValue as it travels: `{ "S": "x" }`, `{ "N": "1" }`, `{ "M": {...} }`, ... */
export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

interface Table {
  name: string;
  account: string;
  region: string;
  partitionKey: string;
  sortKey: string | undefined;
  items: Map<string, Item>;
}

const SCAN_PAGE_BYTES = 1024 * 1024;
const tablesByState = new WeakMap<SandboxState, Map<string, Table>>();

function tableKey(account: string, region: string, name: string): string {
  return `${account}|${region}|${name}`;
}

function tablesOf(state: SandboxState): Map<string, Table> {
  let tables = tablesByState.get(state);
  if (!tables) {
    tables = new Map();
    for (const spec of state.world.dynamodbTables) {
      const account = spec.account ?? state.caller.id;
      const table: Table = {
        name: spec.name,
        account,
        region: spec.region,
        partitionKey: spec.partitionKey,
        sortKey: spec.sortKey,
        items: new Map(),
      };
      for (const item of spec.items) table.items.set(keyOf(table, item), structuredClone(item));
      tables.set(tableKey(account, spec.region, spec.name), table);
    }
    tablesByState.set(state, tables);
  }
  return tables;
}

/** The items of a world table, for tests: plain AttributeValue maps, in insertion order. */
export function tableItems(state: SandboxState, name: string, account?: string, region?: string): Item[] {
  const found = [...tablesOf(state).values()].find(
    (t) =>
      t.name === name &&
      (account === undefined || t.account === account) &&
      (region === undefined || t.region === region),
  );
  if (!found) throw new Error(`no DynamoDB table ${name} in the world`);
  return [...found.items.values()].map((item) => structuredClone(item));
}

function validation(message: string): ApiError {
  return new ApiError('ValidationException', message, 400);
}

function conditionFailed(): ApiError {
  return new ApiError('ConditionalCheckFailedException', 'The conditional request failed', 400);
}

function table(ctx: CallContext, input: JsonObject): Table {
  const name = input.TableName;
  if (typeof name !== 'string' || name === '') throw validation('TableName is required');
  const found = tablesOf(ctx.state).get(tableKey(ctx.account.id, ctx.region, name));
  if (!found) {
    throw new ApiError(
      'ResourceNotFoundException',
      `Requested resource not found: Table: ${name} not found`,
      400,
    );
  }
  ctx.detail = { table: name };
  return found;
}

function scalarKey(value: AttributeValue | undefined, name: string): string {
  if (!value) throw validation(`One of the required keys was not given a value: ${name}`);
  const [type, raw] = Object.entries(value)[0] ?? [];
  if ((type !== 'S' && type !== 'N' && type !== 'B') || typeof raw !== 'string') {
    throw validation(`The key attribute ${name} must be a scalar of type S, N or B`);
  }
  return `${type}:${raw}`;
}

function keyOf(t: Table, item: Item): string {
  const parts = [scalarKey(item[t.partitionKey], t.partitionKey)];
  if (t.sortKey) parts.push(scalarKey(item[t.sortKey], t.sortKey));
  return parts.join('\u0000');
}

function keyFromInput(t: Table, input: JsonObject): string {
  const key = input.Key as Item | undefined;
  if (!key || typeof key !== 'object') throw validation('Key is required');
  const expected = t.sortKey ? 2 : 1;
  if (Object.keys(key).length !== expected) {
    throw validation('The provided key element does not match the schema');
  }
  return keyOf(t, key);
}

// ---- expressions ---------------------------------------------------------------------------------------

type Token = { kind: 'name' | 'value' | 'ident' | 'number' | 'op' | 'punct'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(#[\w]+)|(:[\w]+)|([A-Za-z_][\w]*)|(\d+)|(<>|<=|>=|=|<|>)|([(),.[\]+-]))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw validation(`Invalid expression: syntax error near "${text.slice(at, at + 20)}"`);
    at = re.lastIndex;
    if (m[1]) tokens.push({ kind: 'name', text: m[1] });
    else if (m[2]) tokens.push({ kind: 'value', text: m[2] });
    else if (m[3]) tokens.push({ kind: 'ident', text: m[3] });
    else if (m[4]) tokens.push({ kind: 'number', text: m[4] });
    else if (m[5]) tokens.push({ kind: 'op', text: m[5] });
    else if (m[6]) tokens.push({ kind: 'punct', text: m[6] });
  }
  return tokens;
}

type PathPart = string | number;

interface Env {
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
  usedNames: Set<string>;
  usedValues: Set<string>;
}

class Parser {
  private at = 0;
  private readonly tokens: Token[];
  private readonly env: Env;
  constructor(tokens: Token[], env: Env) {
    this.tokens = tokens;
    this.env = env;
  }

  done(): boolean {
    return this.at >= this.tokens.length;
  }
  peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }
  next(): Token {
    const token = this.tokens[this.at++];
    if (!token) throw validation('Invalid expression: unexpected end of expression');
    return token;
  }
  keyword(word: string): boolean {
    const token = this.peek();
    if (token?.kind === 'ident' && token.text.toUpperCase() === word) {
      this.at++;
      return true;
    }
    return false;
  }
  expect(text: string): void {
    const token = this.next();
    if (token.text !== text)
      throw validation(`Invalid expression: expected "${text}", found "${token.text}"`);
  }

  path(): PathPart[] {
    const parts: PathPart[] = [this.pathName()];
    for (;;) {
      const token = this.peek();
      if (token?.text === '.') {
        this.at++;
        parts.push(this.pathName());
      } else if (token?.text === '[') {
        this.at++;
        const index = this.next();
        if (index.kind !== 'number') throw validation('Invalid expression: expected a list index');
        parts.push(Number(index.text));
        this.expect(']');
      } else {
        return parts;
      }
    }
  }

  private pathName(): string {
    const token = this.next();
    if (token.kind === 'name') {
      const name = this.env.names[token.text];
      if (name === undefined) {
        throw validation(`Value provided in ExpressionAttributeNames unused in expressions: ${token.text}`);
      }
      this.env.usedNames.add(token.text);
      return name;
    }
    if (token.kind === 'ident') return token.text;
    throw validation(`Invalid expression: expected an attribute name, found "${token.text}"`);
  }

  valueRef(): AttributeValue {
    const token = this.next();
    const value = this.env.values[token.text];
    if (token.kind !== 'value' || value === undefined) {
      throw validation(`An expression attribute value used in expression is not defined: ${token.text}`);
    }
    this.env.usedValues.add(token.text);
    return value;
  }
}

function getPath(item: Item, path: PathPart[]): AttributeValue | undefined {
  let current: AttributeValue | undefined = item[path[0] as string];
  for (const part of path.slice(1)) {
    if (current === undefined) return undefined;
    if (typeof part === 'number') current = (current.L as AttributeValue[] | undefined)?.[part];
    else current = (current.M as Item | undefined)?.[part];
  }
  return current;
}

function setPath(item: Item, path: PathPart[], value: AttributeValue): void {
  if (path.length === 1) {
    item[path[0] as string] = value;
    return;
  }
  const parent = getPath(item, path.slice(0, -1));
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    const list = parent?.L as AttributeValue[] | undefined;
    if (!list) throw validation('The document path provided in the update expression is invalid for update');
    list[last] = value;
  } else {
    const map = parent?.M as Item | undefined;
    if (!map || last === undefined) {
      throw validation('The document path provided in the update expression is invalid for update');
    }
    map[last] = value;
  }
}

function removePath(item: Item, path: PathPart[]): void {
  if (path.length === 1) {
    delete item[path[0] as string];
    return;
  }
  const parent = getPath(item, path.slice(0, -1));
  const last = path[path.length - 1];
  if (typeof last === 'number') (parent?.L as AttributeValue[] | undefined)?.splice(last, 1);
  else if (parent?.M) delete (parent.M as Item)[last as string];
}

function scalar(value: AttributeValue | undefined): { type: string; raw: unknown } | undefined {
  if (!value) return undefined;
  const [type, raw] = Object.entries(value)[0] ?? [];
  return type === undefined ? undefined : { type, raw };
}

function compare(op: string, left: AttributeValue | undefined, right: AttributeValue | undefined): boolean {
  const a = scalar(left);
  const b = scalar(right);
  if (!a || !b) return false;
  if (op === '=' || op === '<>') {
    const equal = a.type === b.type && JSON.stringify(a.raw) === JSON.stringify(b.raw);
    return op === '=' ? equal : !equal;
  }
  if (a.type !== b.type || (a.type !== 'S' && a.type !== 'N')) return false;
  const x = a.type === 'N' ? Number(a.raw) : (a.raw as string);
  const y = b.type === 'N' ? Number(b.raw) : (b.raw as string);
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    default:
      throw validation(`Invalid expression: unknown comparator ${op}`);
  }
}

/** ConditionExpression: comparisons, AND/OR/NOT, parentheses, attribute_exists, attribute_not_exists, begins_with. */
function evaluateCondition(p: Parser, item: Item): boolean {
  const or = (): boolean => {
    let result = and();
    while (p.keyword('OR')) result = and() || result;
    return result;
  };
  const and = (): boolean => {
    let result = not();
    while (p.keyword('AND')) result = not() && result;
    return result;
  };
  const not = (): boolean => (p.keyword('NOT') ? !not() : primary());
  const operand = (): AttributeValue | undefined =>
    p.peek()?.kind === 'value' ? p.valueRef() : getPath(item, p.path());
  const primary = (): boolean => {
    const token = p.peek();
    if (token?.text === '(') {
      p.next();
      const result = or();
      p.expect(')');
      return result;
    }
    if (token?.kind === 'ident' && p.peek(1)?.text === '(') {
      const fn = p.next().text;
      p.expect('(');
      let result: boolean;
      if (fn === 'attribute_exists' || fn === 'attribute_not_exists') {
        const exists = getPath(item, p.path()) !== undefined;
        result = fn === 'attribute_exists' ? exists : !exists;
      } else if (fn === 'begins_with') {
        const value = scalar(operand());
        p.expect(',');
        const prefix = scalar(operand());
        result =
          value?.type === 'S' &&
          prefix?.type === 'S' &&
          (value.raw as string).startsWith(prefix.raw as string);
      } else {
        throw validation(`Invalid ConditionExpression: the function is not supported here: ${fn}`);
      }
      p.expect(')');
      return result;
    }
    const left = operand();
    const op = p.next();
    if (op.kind !== 'op')
      throw validation(`Invalid ConditionExpression: expected a comparator, found "${op.text}"`);
    return compare(op.text, left, operand());
  };
  const result = or();
  if (!p.done()) throw validation(`Invalid ConditionExpression: unexpected "${p.peek()?.text}"`);
  return result;
}

/** UpdateExpression: SET (values, `a + b`, `a - b`, if_not_exists) and REMOVE clauses. */
function applyUpdate(p: Parser, item: Item): void {
  const updates: (() => void)[] = [];
  const seen = new Set<string>();
  const guard = (path: PathPart[]) => {
    const key = JSON.stringify(path);
    if (seen.has(key))
      throw validation('Invalid UpdateExpression: Two document paths overlap with each other');
    seen.add(key);
  };
  const operand = (): AttributeValue | undefined => {
    const token = p.peek();
    if (token?.kind === 'value') return p.valueRef();
    if (token?.kind === 'ident' && token.text === 'if_not_exists' && p.peek(1)?.text === '(') {
      p.next();
      p.expect('(');
      const existing = getPath(item, p.path());
      p.expect(',');
      const fallback = operand();
      p.expect(')');
      return existing ?? fallback;
    }
    const path = p.path();
    const value = getPath(item, path);
    if (value === undefined) {
      throw validation('The provided expression refers to an attribute that does not exist in the item');
    }
    return value;
  };
  const value = (): AttributeValue => {
    const left = operand();
    const token = p.peek();
    if (token?.text === '+' || token?.text === '-') {
      p.next();
      const right = operand();
      const a = scalar(left);
      const b = scalar(right);
      if (a?.type !== 'N' || b?.type !== 'N') {
        throw validation('An operand in the update expression has an incorrect data type');
      }
      const sum = token.text === '+' ? Number(a.raw) + Number(b.raw) : Number(a.raw) - Number(b.raw);
      return { N: String(sum) };
    }
    if (!left) throw validation('Invalid UpdateExpression: missing value');
    return left;
  };
  while (!p.done()) {
    if (p.keyword('SET')) {
      do {
        const path = p.path();
        guard(path);
        p.expect('=');
        const v = value();
        updates.push(() => setPath(item, path, structuredClone(v)));
      } while (p.peek()?.text === ',' && p.next());
    } else if (p.keyword('REMOVE')) {
      do {
        const path = p.path();
        guard(path);
        updates.push(() => removePath(item, path));
      } while (p.peek()?.text === ',' && p.next());
    } else {
      throw validation(`Invalid UpdateExpression: unsupported clause "${p.peek()?.text}"`);
    }
  }
  // Values are read from the item before any of the clause's writes, as DynamoDB does.
  for (const update of updates) update();
}

function expressionEnv(input: JsonObject): Env {
  return {
    names: (input.ExpressionAttributeNames as Record<string, string> | undefined) ?? {},
    values: (input.ExpressionAttributeValues as Record<string, AttributeValue> | undefined) ?? {},
    usedNames: new Set(),
    usedValues: new Set(),
  };
}

function checkAllUsed(env: Env): void {
  const unusedNames = Object.keys(env.names).filter((n) => !env.usedNames.has(n));
  if (unusedNames.length > 0) {
    throw validation(
      `Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames}}`,
    );
  }
  const unusedValues = Object.keys(env.values).filter((v) => !env.usedValues.has(v));
  if (unusedValues.length > 0) {
    throw validation(
      `Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues}}`,
    );
  }
}

function checkCondition(input: JsonObject, env: Env, existing: Item | undefined): void {
  const condition = input.ConditionExpression;
  if (typeof condition !== 'string') return;
  if (!evaluateCondition(new Parser(tokenize(condition), env), existing ?? {})) throw conditionFailed();
}

// ---- operations ----------------------------------------------------------------------------------------

function getItem(ctx: CallContext, input: JsonObject): unknown {
  const t = table(ctx, input);
  const item = t.items.get(keyFromInput(t, input));
  return item ? { Item: structuredClone(item) } : {};
}

function putItem(ctx: CallContext, input: JsonObject): unknown {
  const t = table(ctx, input);
  const item = input.Item as Item | undefined;
  if (!item || typeof item !== 'object') throw validation('Item is required');
  const key = keyOf(t, item);
  const existing = t.items.get(key);
  const env = expressionEnv(input);
  checkCondition(input, env, existing);
  checkAllUsed(env);
  t.items.set(key, structuredClone(item));
  return input.ReturnValues === 'ALL_OLD' && existing ? { Attributes: existing } : {};
}

function updateItem(ctx: CallContext, input: JsonObject): unknown {
  const t = table(ctx, input);
  const key = keyFromInput(t, input);
  const existing = t.items.get(key);
  const env = expressionEnv(input);
  checkCondition(input, env, existing);
  const updated: Item = structuredClone(existing ?? (input.Key as Item));
  if (typeof input.UpdateExpression === 'string') {
    applyUpdate(new Parser(tokenize(input.UpdateExpression), env), updated);
  }
  checkAllUsed(env);
  if (keyOf(t, updated) !== key) throw validation('Cannot update attribute in the key');
  t.items.set(key, updated);
  if (input.ReturnValues === 'ALL_NEW') return { Attributes: structuredClone(updated) };
  if (input.ReturnValues === 'ALL_OLD' && existing) return { Attributes: existing };
  return {};
}

function scan(ctx: CallContext, input: JsonObject): unknown {
  const t = table(ctx, input);
  if (input.ScanFilter !== undefined) throw validation('The sandbox does not take the legacy ScanFilter');
  // As DynamoDB: the filter applies to each page after it is read (Count vs ScannedCount).
  const filter = typeof input.FilterExpression === 'string' ? input.FilterExpression : undefined;
  const env = filter !== undefined ? expressionEnv(input) : undefined;
  const keep = (item: Item) =>
    filter === undefined || evaluateCondition(new Parser(tokenize(filter), env as Env), item);
  const limit = typeof input.Limit === 'number' ? input.Limit : Number.POSITIVE_INFINITY;
  const entries = [...t.items.entries()];
  const startKey = input.ExclusiveStartKey as Item | undefined;
  let start = 0;
  if (startKey) {
    const after = keyOf(t, startKey);
    start = entries.findIndex(([key]) => key === after) + 1;
  }
  const page: Item[] = [];
  let bytes = 0;
  let at = start;
  for (; at < entries.length && page.length < limit; at++) {
    const item = (entries[at] as [string, Item])[1];
    bytes += Buffer.byteLength(JSON.stringify(item));
    page.push(structuredClone(item));
    if (bytes >= SCAN_PAGE_BYTES) {
      at++;
      break;
    }
  }
  const last = page[page.length - 1];
  const more = at < entries.length && last !== undefined;
  const lastKey: Item | undefined = more
    ? Object.fromEntries(
        [t.partitionKey, ...(t.sortKey ? [t.sortKey] : [])].map((k) => [k, last[k] as AttributeValue]),
      )
    : undefined;
  const items = page.filter(keep);
  return {
    Items: items,
    Count: items.length,
    ScannedCount: page.length,
    ...(lastKey ? { LastEvaluatedKey: lastKey } : {}),
  };
}

export const dynamodb: JsonService = {
  name: 'dynamodb',
  signingName: 'dynamodb',
  protocol: 'json',
  version: '1.0',
  targetPrefix: 'DynamoDB_20120810',
  queryCompatible: false,
  global: false,
  operations: { GetItem: getItem, PutItem: putItem, UpdateItem: updateItem, Scan: scan },
};
