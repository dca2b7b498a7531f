// A report saved by an earlier run (--output, --output-dir, the Lambda's bucket), read back to be rendered again.
// The file may be anything a person points at: another tool's JSON, a shard's gzip part, a truncated copy. What is
// wrong is said in words, naming the file and the field, before anything is printed.

import { gunzipSync } from 'node:zlib';
import * as z from 'zod';
import { ConfigError } from '../config/errors.ts';
import { CHECK_IDS, type CheckId } from '../model/catalog.ts';
import { SEVERITIES } from '../model/finding.ts';
import type { Report } from './types.ts';

const GZIP_MAGIC = [0x1f, 0x8b];
/** The first field of a shard's inventory part (src/inventory/part.ts). */
const PART_FORMAT = 'eks-oidc-audit-part';

const list = z.array(z.unknown());
const counts = z.looseObject(Object.fromEntries(SEVERITIES.map((s) => [s, z.number()])));

const findingSchema = z.looseObject({
  id: z.string(),
  check: z.enum(CHECK_IDS as [CheckId, ...CheckId[]], { error: 'expected a check id of this version' }),
  severity: z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` }),
  accountId: z.string(),
  region: z.string().nullable(),
  resource: z.string(),
  cluster: z.string().nullable(),
  message: z.string(),
  remediation: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  muted: z.looseObject({ reason: z.string(), entry: z.number(), expires: z.string().optional() }).optional(),
});

// What the renderings read; the inventory sections are passed on as they are.
const reportSchema = z.looseObject({
  schemaVersion: z.literal(1, 'expected 1: a report of this tool (eks-oidc-audit --output FILE)'),
  trigger: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  scope: z.looseObject({
    accounts: z.array(z.string()),
    regions: z.array(z.string()),
    accountNames: z.record(z.string(), z.string()).optional(),
    ouPaths: z.record(z.string(), z.string()).optional(),
  }),
  summary: z.looseObject({
    accounts: z.number(),
    regions: z.number(),
    clusters: z.number(),
    providers: z.number(),
    roles: z.number(),
    findings: counts,
    errors: z.number(),
    coverage: z.looseObject({
      pairsInScope: z.number(),
      pairsAudited: z.number(),
      percent: z.number(),
      blindAccounts: z.array(z.string()),
    }),
    muted: z.number().optional(),
  }),
  accounts: list,
  clusters: z.array(z.looseObject({ assumableRoles: list })),
  providers: list,
  issuers: list,
  errors: list,
  findings: z.array(findingSchema),
});

/** The report in `bytes` (JSON, or JSON gzipped), or a ConfigError saying what the file is instead. */
export function parseSavedReport(bytes: Uint8Array, path: string): Report {
  const fail = (why: string): never => {
    throw new ConfigError(`report ${path}: ${why}`);
  };
  let text: string;
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    try {
      text = gunzipSync(bytes).toString('utf8');
    } catch (error) {
      return fail(`gzip data that does not inflate (${(error as Error).message}): a truncated copy?`);
    }
  } else text = Buffer.from(bytes).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(
      `not JSON (${(error as Error).message}); expected a JSON report (eks-oidc-audit --output FILE)`,
    );
  }
  if (typeof value === 'object' && value !== null && (value as { format?: unknown }).format === PART_FORMAT) {
    fail(
      'an inventory part of a split audit (--part-out), not a report; judge the parts as one audit with ' +
        '--merge PART (one per shard)',
    );
  }
  const parsed = reportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path
      .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
      .join('');
    fail(
      `not a report of this tool: ${field ? field.replace(/^\./, '') : '(top level)'}: ${inWords(issue?.message)}`,
    );
  }
  return value as Report;
}

/** zod's "Invalid input: expected string, received undefined" as a person says it. */
function inWords(message = 'unexpected shape'): string {
  return message
    .replace(/^Invalid input: expected (\w+), received undefined$/, 'missing (expected a $1)')
    .replace(/^Invalid input: expected (\w+), received (\w+)$/, 'expected a $1, found a $2');
}
