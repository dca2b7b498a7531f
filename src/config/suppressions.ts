// Accepted risks: the suppression file (docs/suppressions.md), from the CLI's file or the Lambda's SSM parameter or
// S3 object, all through parseSuppressions. Parsed and validated before the audit starts: a malformed file names
// its line and field, and nothing runs, since a mute that silently failed to load would page people for risks
// they accepted, and one that silently matched too much would hide what they did not. So an entry must name real
// check ids, and one that would mute every finding must say so (`all: true`).

import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import * as z from 'zod';
import { CHECK_IDS, type CheckId } from '../model/catalog.ts';
import { closestWords } from '../text/closest.ts';
import { admitsAnyValue, hasWildcard } from '../text/glob.ts';
import { ConfigError } from './errors.ts';
import { checksOf } from './mute-checks.ts';

/** The fields an entry can match on, each with the longest pattern it takes (the longest such value, in AWS). */
const MATCHERS = { check: 64, account: 64, region: 64, cluster: 128, resource: 2048 } as const;
type Matcher = keyof typeof MATCHERS;
const MATCHER_NAMES = Object.keys(MATCHERS) as Matcher[];
const FIELDS = ['reason', 'expires', 'all', ...MATCHER_NAMES];

const missingOr = (missing: string, wrong: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? missing : wrong;

function pattern(field: Matcher) {
  const max = MATCHERS[field];
  return z
    .string({
      error: `expected text: a ${field} or a pattern of one (\`*\` any text, \`?\` one character), in quotes if it is a number`,
    })
    .min(1, 'expected a non-empty pattern (`*` matches any text)')
    .max(max, `expected at most ${max} characters, the longest ${field} AWS has`);
}

const entrySchema = z.strictObject(
  {
    reason: z
      .string({
        error: missingOr(
          'missing: every entry says why this risk is accepted (reason: "…")',
          'expected text: why this risk is accepted',
        ),
      })
      .trim()
      .min(1, 'expected why this risk is accepted'),
    expires: z
      .string({ error: 'expected a date as YYYY-MM-DD' })
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
      .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'expected a real date')
      .optional(),
    all: z
      .boolean({ error: 'expected true: this entry means to mute every finding (audit-error aside)' })
      .optional(),
    check: pattern('check').optional(),
    account: pattern('account').optional(),
    region: pattern('region').optional(),
    cluster: pattern('cluster').optional(),
    resource: pattern('resource').optional(),
  },
  { error: 'expected an entry: a mapping with a reason and what it matches (check, account, …)' },
);

const fileSchema = z.strictObject(
  {
    suppressions: z
      .array(entrySchema, {
        error: missingOr(
          'missing: the file holds a `suppressions:` list',
          'expected a list of entries, each starting with `- reason: …`',
        ),
      })
      .max(10_000, 'expected at most 10,000 entries'),
  },
  { error: 'expected a mapping with a `suppressions:` list at the top (docs/suppressions.md)' },
);

export type SuppressionEntry = z.output<typeof entrySchema>;

export interface Suppressions {
  /** Where the entries came from (a file path, an SSM parameter), for messages. */
  source: string;
  entries: SuppressionEntry[];
}

/** Parses and validates a suppression document; throws a ConfigError naming the line and field of the first fault. */
export function parseSuppressions(text: string, source: string): Suppressions {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const fault = (path: readonly PropertyKey[], message: string) => {
    const node = nodeAt(document, path);
    const line = node?.range ? lines.linePos(node.range[0]).line : undefined;
    const field = path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
    return new ConfigError(
      `suppressions ${source}${line ? ` line ${line}` : ''}: ${field.replace(/^\./, '') || 'document'}: ${message}`,
    );
  };
  const syntax = document.errors[0];
  if (syntax) {
    const line = lines.linePos(syntax.pos[0]).line;
    throw new ConfigError(`suppressions ${source} line ${line}: not YAML: ${syntax.message.split('\n')[0]}`);
  }
  const parsed = fileSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    // A misspelt key says more than the list it leaves missing (`suppression:` for `suppressions:`).
    const { issues } = parsed.error;
    const issue = (issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]) as z.core.$ZodIssue;
    const at = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] as string] : issue.path;
    throw fault(at, describeIssue(issue));
  }
  parsed.data.suppressions.forEach((entry, index) => {
    const problem = entryProblem(entry);
    if (problem) throw fault(['suppressions', index, ...problem.path], problem.message);
  });
  return { source, entries: parsed.data.suppressions };
}

/** What is wrong with an entry the schema accepted: check ids not in the catalog, a mute of everything unsaid. */
function entryProblem(entry: SuppressionEntry): { path: string[]; message: string } | undefined {
  const list = 'eks-oidc-audit --list-checks prints them';
  if (entry.check !== undefined && !admitsAnyValue(entry.check)) {
    if (!hasWildcard(entry.check) && !CHECK_IDS.includes(entry.check as CheckId)) {
      const near = closestWords(entry.check, CHECK_IDS);
      const hint = near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : '';
      return { path: ['check'], message: `expected a check id; ${entry.check} is none${hint}; ${list}` };
    }
    if (hasWildcard(entry.check) && checksOf(entry).length === 0) {
      return {
        path: ['check'],
        message: `expected a pattern of check ids; ${entry.check} matches none; ${list}`,
      };
    }
  }
  const narrowing = MATCHER_NAMES.filter(
    (key) => entry[key] !== undefined && !narrowsNothing(key, entry[key]),
  );
  if (entry.all === true && narrowing.length > 0) {
    return {
      path: ['all'],
      message: `all: true says this entry mutes every finding, but ${narrowing.join(', ')} narrows it; drop all: true`,
    };
  }
  if (entry.all !== true && narrowing.length === 0) {
    return {
      path: [],
      message:
        `expected at least one of ${MATCHER_NAMES.join(', ')} that narrows what it mutes: as written it mutes every ` +
        'finding of the audit; if that is meant, say so with all: true (audit-error is never muted by it)',
    };
  }
  return undefined;
}

/** A matcher that admits any value of its field: stars only, or for check a pattern every check id matches. */
function narrowsNothing(key: Matcher, value: string): boolean {
  if (admitsAnyValue(value)) return true;
  return key === 'check' && checksOf({ check: value }).length === CHECK_IDS.length - 1;
}

/** A schema issue in words: the field names and kinds a person writes, not the parser's. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const known = issue.path.length === 0 ? ['suppressions'] : FIELDS;
    return issue.keys
      .map((key) => {
        const near = closestWords(key, known);
        return `unknown field ${key}${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}`;
      })
      .concat(`expected only ${known.join(', ')}`)
      .join('; ');
  }
  return issue.message;
}

/**
 * The YAML node at a path, or the nearest parent that exists (an absent key points at its map). A path that ends
 * at a key of a map points at the key, on the line a person reads it (a list's items start on the next one).
 */
function nodeAt(document: ReturnType<typeof parseDocument>, path: readonly PropertyKey[]) {
  let node: unknown = document.contents;
  for (const [index, part] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
      if (!pair) break;
      node = index === path.length - 1 ? pair.key : pair.value;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part] !== undefined) {
      node = node.items[part];
    } else break;
  }
  return node as { range?: [number, number, number] } | undefined;
}
