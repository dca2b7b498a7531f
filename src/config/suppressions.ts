// Accepted risks: the suppression file (docs/suppressions.md). Parsed and validated before the audit starts: a
// malformed file names its line and field, and nothing runs, since a mute that silently failed to load would page
// people for risks they accepted, and one that silently matched too much would hide what they did not.

import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import * as z from 'zod';
import { ConfigError } from './errors.ts';

const glob = z.string().min(1, 'expected a non-empty pattern (`*` matches any text)').max(2048);

const entrySchema = z.strictObject({
  reason: z.string().trim().min(1, 'expected why this risk is accepted'),
  expires: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'expected a real date')
    .optional(),
  check: glob.optional(),
  account: glob.optional(),
  region: glob.optional(),
  cluster: glob.optional(),
  resource: glob.optional(),
});

const fileSchema = z.strictObject({
  suppressions: z.array(entrySchema).max(10_000, 'expected at most 10,000 entries'),
});

export type SuppressionEntry = z.output<typeof entrySchema>;

export interface Suppressions {
  /** Where the entries came from (a file path, an SSM parameter), for messages. */
  source: string;
  entries: SuppressionEntry[];
}

const MATCHERS = ['check', 'account', 'region', 'cluster', 'resource'] as const;

/** Parses and validates a suppression document; throws a ConfigError naming the line and field of the first fault. */
export function parseSuppressions(text: string, source: string): Suppressions {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = document.errors[0];
  if (syntax) {
    const line = lines.linePos(syntax.pos[0]).line;
    throw new ConfigError(`suppressions ${source} line ${line}: ${syntax.message.split('\n')[0]}`);
  }
  const parsed = fileSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    const node = nodeAt(document, path);
    const line = node?.range ? lines.linePos(node.range[0]).line : undefined;
    const field = path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
    throw new ConfigError(
      `suppressions ${source}${line ? ` line ${line}` : ''}: ${field.replace(/^\./, '') || 'document'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  parsed.data.suppressions.forEach((entry, index) => {
    if (!MATCHERS.some((key) => entry[key] !== undefined)) {
      const node = nodeAt(document, ['suppressions', index]);
      const line = node?.range ? lines.linePos(node.range[0]).line : undefined;
      throw new ConfigError(
        `suppressions ${source}${line ? ` line ${line}` : ''}: suppressions[${index}]: expected at least one of ${MATCHERS.join(', ')}: an entry that matches everything would mute the whole audit`,
      );
    }
  });
  return { source, entries: parsed.data.suppressions };
}

/** The YAML node at a path, or the nearest parent that exists (an absent key points at its map). */
function nodeAt(document: ReturnType<typeof parseDocument>, path: readonly PropertyKey[]) {
  let node: unknown = document.contents;
  for (const part of path) {
    const next = isMap(node) || isSeq(node) ? node.get(part as never, true) : undefined;
    if (next === undefined) break;
    node = next;
  }
  return node as { range?: [number, number, number] } | undefined;
}
