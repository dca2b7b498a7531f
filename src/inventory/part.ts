// An audit split across runs (`--shard I/N`, docs/fan-out.md): each shard writes what it read as an inventory
// part, gzip-compressed JSON; the merge step reads the parts one at a time and joins them into the scope and
// inventory one run over every account would have read, for the facts, checks and report to judge at once.

import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip, gunzip } from 'node:zlib';
import * as z from 'zod';
import type { Shard } from '../config/input.ts';
import type { Inventory, IssuerProbe } from '../model/inventory.ts';
import type { Scope } from '../scope/types.ts';
import { compareText } from '../text/compare.ts';
import { writeJson } from '../text/json-stream.ts';

const gunzipAsync = promisify(gunzip);
const FORMAT = 'eks-oidc-audit-part';
const VERSION = 1;

export interface InventoryPart {
  shard: Shard;
  /** ISO 8601: when the shard started. */
  startedAt: string;
  auditor: { accountId: string; partition: string };
  scope: Scope;
  inventory: Inventory;
}

/** Writes the part to `path` (gzip), an array element at a time: a part of 500 accounts is tens of megabytes. */
export async function writePart(part: InventoryPart, path: string): Promise<void> {
  const gzip = createGzip();
  const written = pipeline(gzip, createWriteStream(path));
  // The inventory's arrays at the top level, so that each is streamed element by element.
  await writeJson(
    {
      format: FORMAT,
      version: VERSION,
      shard: part.shard,
      startedAt: part.startedAt,
      auditor: part.auditor,
      scope: part.scope,
      ...part.inventory,
    },
    gzip,
    false,
  );
  gzip.end();
  await written;
}

const list = z.array(z.unknown());
// The envelope and the shape of each list; the elements are what this tool wrote (a part is not user input, but a
// truncated, mixed-up or foreign file must say so rather than judge a partial organization).
const partSchema = z.object({
  format: z.literal(FORMAT, `expected "${FORMAT}": not an inventory part of this tool`),
  version: z.literal(VERSION, `expected part version ${VERSION}`),
  shard: z.object({ index: z.number().int().min(1), count: z.number().int().min(1) }),
  startedAt: z.iso.datetime(),
  auditor: z.object({ accountId: z.string(), partition: z.string() }),
  scope: z.object({
    callerAccountId: z.string(),
    partition: z.string(),
    accountsInScope: z.array(z.string()),
    regionsInScope: z.array(z.string()),
    targets: list,
    accountNames: z.record(z.string(), z.string()),
    ouPaths: z.record(z.string(), z.string()),
    ouPathsError: z.string().optional(),
    errors: list,
  }),
  accounts: list,
  clusters: list,
  providers: list,
  roles: list,
  hosts: list,
  issuers: list,
  errors: list,
});

/**
 * Parts written by writePart, in order; throws naming the file and the field when one is not a part. Each is
 * read and inflated (on libuv's threads) while the one before is parsed (on this one): read one after the other,
 * the merge sat idle a quarter of its reading time (docs/performance.md). At most one inflated part waits
 * besides the one being parsed.
 */
export async function* readParts(paths: readonly string[]): AsyncGenerator<InventoryPart> {
  const inflate = (path: string | undefined) => {
    if (path === undefined) return undefined;
    const text = inflatePart(path);
    // Handled when awaited in its turn; this only keeps an early failure from being reported as unhandled.
    text.catch(() => undefined);
    return text;
  };
  let next = inflate(paths[0]);
  for (const [index, path] of paths.entries()) {
    const text = await (next as Promise<string>);
    next = inflate(paths[index + 1]);
    yield parsePart(path, text);
  }
}

// Output bytes per round trip between libuv's thread and this one: at zlib's default (16 KiB) the inflating
// waited on the parsing of the part before for each of its 1,700 chunks, and the prefetch gained nothing.
const INFLATE_CHUNK_BYTES = 8 * 1024 * 1024;

async function inflatePart(path: string): Promise<string> {
  try {
    return (await gunzipAsync(await readFile(path), { chunkSize: INFLATE_CHUNK_BYTES })).toString('utf8');
  } catch (error) {
    throw new Error(`part ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function parsePart(path: string, text: string): InventoryPart {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`part ${path}: not JSON (${(error as Error).message})`);
  }
  const parsed = partSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`part ${path}: ${issue?.path.join('.') || '(top level)'}: ${issue?.message}`);
  }
  const { shard, startedAt, auditor, scope, ...inventory } = value as InventoryPart & Inventory;
  const { accounts, clusters, providers, roles, hosts, issuers, errors } = inventory;
  sharedShapes(issuers);
  return {
    shard,
    startedAt,
    auditor,
    scope,
    inventory: { accounts, clusters, providers, roles, hosts, issuers, errors },
  };
}

/**
 * Gives each discovery document the hidden class the others have. V8 stops recording new shapes past some
 * thousands of distinct first keys, and the trust policies' condition blocks, keyed by issuer, are that many:
 * every object JSON.parse met after them with a first key not seen before got a class of its own, which at
 * 10,000 accounts was 340,000 classes, over 60 MB (docs/performance.md, merge memory).
 */
function sharedShapes(issuers: IssuerProbe[]): void {
  for (const probe of issuers) {
    if (probe.discovery)
      probe.discovery = { issuer: probe.discovery.issuer, jwksUri: probe.discovery.jwksUri };
  }
}

/** A shard that failed after its retries (the fan-out's state machine): its accounts are named, not dropped. */
export interface FailedShard {
  shard: Shard;
  /** The accounts it was to read. */
  accounts: string[];
  reason: string;
}

/**
 * The scope and inventory of the whole audit from its shards' parts: exactly one part (or one failure) per shard
 * of one split, of one caller. Issuer hosts and issuers are probed by every shard whose clusters use them: each
 * is kept once. A failed shard's accounts stay in scope, each with an audit error saying why it was not read.
 */
export function mergeParts(
  parts: readonly InventoryPart[],
  failed: readonly FailedShard[] = [],
): {
  scope: Scope;
  inventory: Inventory;
  startedAt: string;
  auditor: InventoryPart['auditor'];
} {
  const [first] = parts;
  if (!first) throw new Error('no parts to merge: every shard failed');
  const count = first.shard.count;
  const seen = new Set<number>();
  for (const { shard } of failed) {
    if (shard.count !== count)
      throw new Error(`a failed shard ${shard.index}/${shard.count} among /${count}`);
    seen.add(shard.index);
  }
  for (const part of parts) {
    if (part.shard.count !== count)
      throw new Error(
        `parts of different splits: shard ${part.shard.index}/${part.shard.count} among /${count}`,
      );
    if (part.auditor.accountId !== first.auditor.accountId)
      throw new Error(`parts of different callers: ${part.auditor.accountId} and ${first.auditor.accountId}`);
    if (seen.has(part.shard.index)) throw new Error(`shard ${part.shard.index}/${count} given twice`);
    seen.add(part.shard.index);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new Error(`shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${count} missing`);

  const sortedUnion = (lists: string[][]) => [...new Set(lists.flat())].sort();
  const ordered = [...parts].sort((a, b) => a.shard.index - b.shard.index);
  const scopes = parts.map((part) => part.scope);
  const ouPathsError = scopes.find((s) => s.ouPathsError)?.ouPathsError;
  const scope: Scope = {
    callerAccountId: first.scope.callerAccountId,
    partition: first.scope.partition,
    accountsInScope: sortedUnion([...scopes.map((s) => s.accountsInScope), ...failed.map((f) => f.accounts)]),
    regionsInScope: sortedUnion(scopes.map((s) => s.regionsInScope)),
    targets: scopes.flatMap((s) => s.targets).sort((a, b) => a.accountId.localeCompare(b.accountId)),
    accountNames: Object.assign({}, ...scopes.map((s) => s.accountNames)),
    ouPaths: Object.assign({}, ...scopes.map((s) => s.ouPaths)),
    ...(ouPathsError ? { ouPathsError } : {}),
    // In shard order: the accounts' own errors in the order one run would have met them.
    errors: [
      ...ordered.flatMap((p) => p.scope.errors),
      ...failed.flatMap(({ shard, accounts, reason }) =>
        accounts.map((accountId) => ({
          accountId,
          region: null,
          stage: 'shard',
          code: 'ShardFailed',
          message: `shard ${shard.index}/${shard.count}, which was to read account ${accountId}, failed after its retries: ${reason}`,
        })),
      ),
    ],
  };
  const all = ordered.map((p) => p.inventory);
  const once = <T>(items: T[], key: (item: T) => string) => [
    ...new Map(items.map((item) => [key(item), item] as const)).values(),
  ];
  const byArn = (a: { arn: string }, b: { arn: string }) => a.arn.localeCompare(b.arn);
  const inventory: Inventory = {
    accounts: all.flatMap((i) => i.accounts).sort((a, b) => a.accountId.localeCompare(b.accountId)),
    clusters: all.flatMap((i) => i.clusters).sort(byArn),
    providers: all.flatMap((i) => i.providers).sort(byArn),
    roles: all.flatMap((i) => i.roles).sort(byArn),
    hosts: once(
      all.flatMap((i) => i.hosts),
      (h) => h.host,
    ).sort((a, b) => compareText(a.host, b.host)),
    issuers: once(
      all.flatMap((i) => i.issuers),
      (i) => i.issuer,
    ).sort((a, b) => compareText(a.issuer, b.issuer)),
    // As one run lists them (collect.ts, finish): the scope's errors first, then the reads'.
    errors: [
      ...scope.errors,
      ...ordered.flatMap((part) => part.inventory.errors.slice(part.scope.errors.length)),
    ],
  };
  const startedAt = parts.map((p) => p.startedAt).sort()[0] ?? first.startedAt;
  return { scope, inventory, startedAt, auditor: first.auditor };
}
