import { describe, expect, it } from 'vitest';
import {
  type Condition,
  evaluate,
  evaluateWith,
  globMatch,
  hasWildcard,
  parseCondition,
  parseOperator,
  type RequestContext,
  type Truth,
  valuePieces,
} from '../../../src/facts/trust/conditions.ts';

const SUB = 'oidc.eks.us-east-1.amazonaws.com/id/ABC:sub';
const AUD = 'oidc.eks.us-east-1.amazonaws.com/id/ABC:aud';

/** A policy variable as IAM writes it; built here so no linter mistakes it for a template slot. */
function variable(key: string): string {
  return ['$', '{', key, '}'].join('');
}

function condition(raw: unknown): Condition {
  const parsed = parseCondition(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.condition;
}

interface Case {
  name: string;
  condition: Record<string, Record<string, unknown>>;
  context: RequestContext;
  expected: Truth;
}

function run(cases: Case[]) {
  it.each(cases)('$name', ({ condition: raw, context, expected }) => {
    // Prepare
    const parsed = condition(raw);

    // Act
    const result = evaluate(parsed, context);

    // Assess
    expect(result).toBe(expected);
  });
}

describe('string operators on a present key', () => {
  run([
    {
      name: 'StringEquals matches the exact value',
      condition: { StringEquals: { [SUB]: 'system:serviceaccount:ns:sa' } },
      context: { [SUB]: 'system:serviceaccount:ns:sa' },
      expected: true,
    },
    {
      name: 'StringEquals is case-sensitive on values',
      condition: { StringEquals: { [SUB]: 'system:serviceaccount:NS:sa' } },
      context: { [SUB]: 'system:serviceaccount:ns:sa' },
      expected: false,
    },
    {
      name: 'StringEqualsIgnoreCase ignores the case of values',
      condition: { StringEqualsIgnoreCase: { [SUB]: 'SYSTEM:ServiceAccount:NS:SA' } },
      context: { [SUB]: 'system:serviceaccount:ns:sa' },
      expected: true,
    },
    {
      // Each value is compiled once and kept: per operator kind, not per value alone.
      name: 'StringEquals stays case-sensitive on a value StringEqualsIgnoreCase compared before',
      condition: { StringEquals: { [SUB]: 'SYSTEM:ServiceAccount:NS:SA' } },
      context: { [SUB]: 'system:serviceaccount:ns:sa' },
      expected: false,
    },
    {
      name: 'StringNotEqualsIgnoreCase is false for a case variant',
      condition: { StringNotEqualsIgnoreCase: { [SUB]: 'SYSTEM:SERVICEACCOUNT:NS:SA' } },
      context: { [SUB]: 'system:serviceaccount:ns:sa' },
      expected: false,
    },
    {
      name: 'StringEquals compares * literally',
      condition: { StringEquals: { [SUB]: 'system:serviceaccount:*' } },
      context: { [SUB]: 'system:serviceaccount:ns:sa' },
      expected: false,
    },
    {
      name: 'StringEquals matches a literal * only',
      condition: { StringEquals: { [SUB]: 'system:serviceaccount:*' } },
      context: { [SUB]: 'system:serviceaccount:*' },
      expected: true,
    },
    {
      name: 'StringLike * spans colons',
      condition: { StringLike: { [SUB]: 'system:serviceaccount:*' } },
      context: { [SUB]: 'system:serviceaccount:ns:sa' },
      expected: true,
    },
    {
      name: 'StringLike * matches the empty string',
      condition: { StringLike: { [SUB]: 'system:serviceaccount:ns:sa*' } },
      context: { [SUB]: 'system:serviceaccount:ns:sa' },
      expected: true,
    },
    {
      name: 'StringLike ? matches exactly one character',
      condition: { StringLike: { [SUB]: 'system:serviceaccount:ns:sa-?' } },
      context: { [SUB]: 'system:serviceaccount:ns:sa-12' },
      expected: false,
    },
    {
      name: 'StringLike ? matches one character',
      condition: { StringLike: { [SUB]: 'system:serviceaccount:ns:sa-?' } },
      context: { [SUB]: 'system:serviceaccount:ns:sa-1' },
      expected: true,
    },
    {
      name: 'StringLike with several stars backtracks',
      condition: { StringLike: { [SUB]: '*:team-*:*-reader' } },
      context: { [SUB]: 'system:serviceaccount:team-a:x-reader-reader' },
      expected: true,
    },
    {
      name: 'StringLike with no wildcard is an exact match',
      condition: { StringLike: { [SUB]: 'system:serviceaccount:ns:sa' } },
      context: { [SUB]: 'system:serviceaccount:ns:sa2' },
      expected: false,
    },
    {
      name: 'StringLike is case-sensitive',
      condition: { StringLike: { [SUB]: 'system:serviceaccount:NS:*' } },
      context: { [SUB]: 'system:serviceaccount:ns:sa' },
      expected: false,
    },
    {
      name: 'StringNotLike is true when no pattern matches',
      condition: {
        StringNotLike: { [SUB]: ['system:serviceaccount:kube-system:*', 'system:serviceaccount:ops:*'] },
      },
      context: { [SUB]: 'system:serviceaccount:ns:sa' },
      expected: true,
    },
    {
      name: 'StringNotEquals with a list is false when one value matches (NOR)',
      condition: { StringNotEquals: { [SUB]: ['system:serviceaccount:a:a', 'system:serviceaccount:ns:sa'] } },
      context: { [SUB]: 'system:serviceaccount:ns:sa' },
      expected: false,
    },
  ]);
});

describe('several values, keys and operators', () => {
  run([
    {
      name: 'values of one key are ORed',
      condition: { StringEquals: { [SUB]: ['system:serviceaccount:a:a', 'system:serviceaccount:ns:sa'] } },
      context: { [SUB]: 'system:serviceaccount:ns:sa' },
      expected: true,
    },
    {
      name: 'keys within an operator are ANDed',
      condition: { StringEquals: { [SUB]: 'system:serviceaccount:ns:sa', [AUD]: 'sts.amazonaws.com' } },
      context: { [SUB]: 'system:serviceaccount:ns:sa', [AUD]: 'other' },
      expected: false,
    },
    {
      name: 'operators are ANDed',
      condition: {
        StringLike: { [SUB]: 'system:serviceaccount:ns:*' },
        StringNotEquals: { [SUB]: 'system:serviceaccount:ns:admin' },
      },
      context: { [SUB]: 'system:serviceaccount:ns:admin' },
      expected: false,
    },
    {
      name: 'condition keys are case-insensitive',
      condition: {
        StringEquals: { 'OIDC.EKS.US-EAST-1.AMAZONAWS.COM/ID/ABC:SUB': 'system:serviceaccount:ns:sa' },
      },
      context: { [SUB]: 'system:serviceaccount:ns:sa' },
      expected: true,
    },
    {
      name: 'operator names are recognised in any case',
      condition: { stringequals: { [SUB]: 'system:serviceaccount:ns:sa' } },
      context: { [SUB]: 'system:serviceaccount:other:sa' },
      expected: false,
    },
    {
      name: 'an empty block holds',
      condition: {},
      context: {},
      expected: true,
    },
  ]);
});

describe('a key absent from the request', () => {
  run([
    {
      name: 'StringEquals is false',
      condition: { StringEquals: { [SUB]: 'x' } },
      context: {},
      expected: false,
    },
    {
      name: 'StringLike * is false',
      condition: { StringLike: { [SUB]: '*' } },
      context: {},
      expected: false,
    },
    {
      name: 'StringNotEquals is true',
      condition: { StringNotEquals: { [SUB]: 'x' } },
      context: {},
      expected: true,
    },
    {
      name: 'StringNotLike is true',
      condition: { StringNotLike: { [SUB]: 'x*' } },
      context: {},
      expected: true,
    },
    {
      name: 'StringEqualsIfExists is true',
      condition: { StringEqualsIfExists: { [SUB]: 'x' } },
      context: {},
      expected: true,
    },
    {
      name: 'ForAllValues:StringEquals is true',
      condition: { 'ForAllValues:StringEquals': { [SUB]: 'x' } },
      context: {},
      expected: true,
    },
    {
      name: 'ForAllValues:StringEquals is true for an empty set',
      condition: { 'ForAllValues:StringEquals': { [SUB]: 'x' } },
      context: { [SUB]: [] },
      expected: true,
    },
    {
      name: 'ForAnyValue:StringEquals is false',
      condition: { 'ForAnyValue:StringEquals': { [SUB]: 'x' } },
      context: {},
      expected: false,
    },
    {
      name: 'ForAnyValue:StringNotEquals is false',
      condition: { 'ForAnyValue:StringNotEquals': { [SUB]: 'x' } },
      context: {},
      expected: false,
    },
    {
      name: 'Null true holds',
      condition: { Null: { [SUB]: 'true' } },
      context: {},
      expected: true,
    },
    {
      name: 'Null false fails',
      condition: { Null: { [SUB]: 'false' } },
      context: {},
      expected: false,
    },
  ]);
});

describe('set operators on a present key', () => {
  run([
    {
      name: 'ForAllValues needs every request value to match',
      condition: { 'ForAllValues:StringLike': { [AUD]: 'sts.*' } },
      context: { [AUD]: ['sts.amazonaws.com', 'other'] },
      expected: false,
    },
    {
      name: 'ForAnyValue needs one request value to match',
      condition: { 'ForAnyValue:StringLike': { [AUD]: 'sts.*' } },
      context: { [AUD]: ['sts.amazonaws.com', 'other'] },
      expected: true,
    },
    {
      name: 'ForAllValues:StringNotEquals: no request value equals a policy value',
      condition: { 'ForAllValues:StringNotEquals': { [AUD]: ['a', 'b'] } },
      context: { [AUD]: ['c', 'a'] },
      expected: false,
    },
    {
      name: 'ForAllValues on a single value acts like the plain operator',
      condition: { 'ForAllValues:StringEquals': { [SUB]: 'system:serviceaccount:ns:sa' } },
      context: { [SUB]: 'system:serviceaccount:ns:other' },
      expected: false,
    },
    {
      name: 'IfExists with a present key evaluates the operator',
      condition: { StringLikeIfExists: { [SUB]: 'system:serviceaccount:ns:*' } },
      context: { [SUB]: 'system:serviceaccount:other:sa' },
      expected: false,
    },
    {
      name: 'qualifier and IfExists combine',
      condition: { 'ForAnyValue:StringEqualsIfExists': { [SUB]: 'x' } },
      context: {},
      expected: true,
    },
  ]);
});

describe('policy variables', () => {
  run([
    {
      name: 'a variable is substituted from the request',
      condition: { StringEquals: { [SUB]: `system:serviceaccount:${variable('aws:PrincipalTag/ns')}:sa` } },
      context: { [SUB]: 'system:serviceaccount:ns:sa', 'aws:PrincipalTag/ns': 'ns' },
      expected: true,
    },
    {
      name: 'a missing variable falls back to its default',
      condition: {
        StringEquals: { [SUB]: `system:serviceaccount:${variable("aws:PrincipalTag/ns, 'dflt'")}:sa` },
      },
      context: { [SUB]: 'system:serviceaccount:dflt:sa' },
      expected: true,
    },
    {
      name: 'a missing variable without a default matches nothing',
      condition: { StringEquals: { [SUB]: `system:serviceaccount:${variable('aws:PrincipalTag/ns')}:sa` } },
      context: { [SUB]: 'system:serviceaccount::sa' },
      expected: false,
    },
    {
      name: 'the escape for a star is literal under StringLike',
      condition: { StringLike: { [SUB]: `system:serviceaccount:${variable('*')}` } },
      context: { [SUB]: 'system:serviceaccount:ns:sa' },
      expected: false,
    },
    {
      name: 'the escapes for star and question mark match those characters',
      condition: { StringLike: { [SUB]: `a${variable('*')}b${variable('?')}` } },
      context: { [SUB]: 'a*b?' },
      expected: true,
    },
  ]);
});

describe('three-valued evaluation', () => {
  it.each([
    {
      name: 'an unknown key yields unknown',
      raw: { StringEquals: { 'aws:SourceIp': '10.0.0.1' } },
      expected: 'unknown',
    },
    {
      name: 'a false entry beats an unknown one',
      raw: { StringEquals: { 'aws:SourceIp': '10.0.0.1', [SUB]: 'other' } },
      expected: false,
    },
    {
      name: 'an unmodelled operator yields unknown',
      raw: { IpAddress: { [SUB]: '10.0.0.0/8' } },
      expected: 'unknown',
    },
    {
      name: 'a variable on an unknown key yields unknown',
      raw: { StringEquals: { [SUB]: `system:serviceaccount:${variable('aws:PrincipalTag/ns')}:sa` } },
      expected: 'unknown',
    },
    {
      name: 'Null on an unknown key yields unknown',
      raw: { Null: { 'aws:SourceIp': 'true' } },
      expected: 'unknown',
    },
  ])('$name', ({ raw, expected }) => {
    // Prepare
    const parsed = condition(raw);
    const resolve = (key: string) =>
      key.toLowerCase() === SUB.toLowerCase() ? ['system:serviceaccount:ns:sa'] : 'unknown';

    // Act
    const result = evaluateWith(parsed, resolve as never);

    // Assess
    expect(result).toBe(expected);
  });
});

describe('parseOperator', () => {
  it.each([
    {
      raw: 'StringEquals',
      base: 'StringEquals',
      qualifier: undefined,
      ifExists: false,
      negated: false,
      like: false,
    },
    {
      raw: 'StringNotLikeIfExists',
      base: 'StringNotLike',
      qualifier: undefined,
      ifExists: true,
      negated: true,
      like: true,
    },
    {
      raw: 'ForAllValues:StringLike',
      base: 'StringLike',
      qualifier: 'ForAllValues',
      ifExists: false,
      negated: false,
      like: true,
    },
    {
      raw: 'foranyvalue:stringequalsignorecase',
      base: 'StringEqualsIgnoreCase',
      qualifier: 'ForAnyValue',
      ifExists: false,
      negated: false,
      like: false,
    },
    { raw: 'Null', base: 'Null', qualifier: undefined, ifExists: false, negated: false, like: false },
  ])('$raw', ({ raw, ...expected }) => {
    // Prepare
    const input = raw;

    // Act
    const parsed = parseOperator(input);

    // Assess
    expect(parsed).toMatchObject(expected);
  });

  it.each(['ArnLike', 'IpAddress', 'Bool', 'ForEveryValue:StringEquals', 'NullIfExists', 'StringEqualz'])(
    '%s is not modelled',
    (raw) => {
      // Prepare
      const input = raw;

      // Act
      const parsed = parseOperator(input);

      // Assess
      expect(parsed).toBeUndefined();
    },
  );
});

describe('parseCondition', () => {
  it('reports unmodelled operators and keeps their entries', () => {
    // Prepare
    const raw = { Bool: { 'aws:SecureTransport': 'true' }, StringEquals: { [SUB]: ['a', 1, true] } };

    // Act
    const parsed = parseCondition(raw);

    // Assess
    expect(parsed).toMatchObject({
      ok: true,
      condition: {
        unsupportedOperators: ['Bool'],
        entries: [
          { operator: 'Bool', parsed: undefined, key: 'aws:SecureTransport', values: ['true'] },
          { operator: 'StringEquals', key: SUB, values: ['a', '1', 'true'] },
        ],
      },
    });
  });

  it.each([
    { name: 'a list instead of an object', raw: [] },
    { name: 'an operator holding a string', raw: { StringEquals: 'x' } },
    { name: 'a value that is an object', raw: { StringEquals: { [SUB]: { nested: true } } } },
    { name: 'null', raw: null },
  ])('rejects $name without throwing', ({ raw }) => {
    // Prepare
    const input: unknown = raw;

    // Act
    const parsed = parseCondition(input);

    // Assess
    expect(parsed.ok).toBe(false);
  });
});

describe('glob helpers', () => {
  it.each([
    { pattern: '*', subject: '', expected: true },
    { pattern: '?', subject: '', expected: false },
    { pattern: 'a*b*c', subject: 'abbbc', expected: true },
    { pattern: 'a*b*c', subject: 'acb', expected: false },
    { pattern: '*:default', subject: 'system:serviceaccount:x:default', expected: true },
    { pattern: '*:default', subject: 'system:serviceaccount:x:default2', expected: false },
  ])('"$pattern" against "$subject" is $expected', ({ pattern, subject, expected }) => {
    // Prepare
    const pieces = valuePieces(pattern, true).filter((piece) => piece.kind !== 'variable');

    // Act
    const matched = globMatch(pieces as never, subject);

    // Assess
    expect(matched).toBe(expected);
  });

  it.each([
    { value: 'system:serviceaccount:*', like: true, expected: true },
    { value: 'system:serviceaccount:*', like: false, expected: false },
    { value: `a${variable('*')}`, like: true, expected: false },
    { value: 'ns:sa-?', like: true, expected: true },
  ])('hasWildcard("$value", like $like) is $expected', ({ value, like, expected }) => {
    // Prepare
    const input = value;

    // Act
    const result = hasWildcard(input, like);

    // Assess
    expect(result).toBe(expected);
  });
});
