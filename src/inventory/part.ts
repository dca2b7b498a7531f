// An audit split across runs (`--shard I/N`, docs/fan-out.md): each shard writes what it read as an inventory
// part, gzip-compressed JSON lines: a header line (what the part is: its run, split, shard, caller and scope, and
// how many elements each list holds), then one line per element of each list in turn. The merge step reads the
// parts a line at a time as they inflate (src/inventory/part-lines.ts), checks each element's shape
// (src/inventory/part-shapes.ts), and joins them (src/inventory/part-merge.ts).

import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import * as z from 'zod';
import type { Shard } from '../config/input.ts';
import { type AuditError, type Cluster, type Inventory, namespaceAccountsKey } from '../model/inventory.ts';
import { valuePool } from '../runtime/compact.ts';
import type { Split } from '../scope/split.ts';
import type { AccountTarget, Scope } from '../scope/types.ts';
import { writeChunks } from '../text/chunked-output.ts';
import { settledIssuer } from './issuer-result.ts';
import { describeBytes, type LineCaps, readGzipLines } from './part-lines.ts';
import { elementProblem, PART_LIST_NAMES, type PartList } from './part-shapes.ts';

const FORMAT = 'eks-oidc-audit-part';
// 2: JSON lines, with the run id and the split; 1 was one JSON object.
const VERSION = 2;

export interface InventoryPart {
  /** The fan-out run that wrote it (its plan's run id); absent for the CLI's `--shard`. */
  runId?: string;
  /** The split the shard is one share of (src/scope/split.ts). */
  split: Split;
  shard: Shard;
  /** ISO 8601: when the shard started. */
  startedAt: string;
  auditor: { accountId: string; partition: string };
  scope: Omit<Scope, 'split'>;
  inventory: Inventory;
}

/** A part and where it was read from, for the errors to name it. */
export interface NamedPart {
  source: string;
  part: InventoryPart;
}

/**
 * The caps a part is read under (docs/fan-out.md, "Parts"): a part of the largest shard AUDIT_SHARD_SIZE allows,
 * of accounts far heavier than the benchmark's, stays well below the first; no element comes near the second
 * (the header, with every account's name and OU path, is the longest line).
 */
export const PART_CAPS: LineCaps = {
  inflatedBytes: 1024 ** 3,
  lineBytes: 64 * 1024 ** 2,
};

type Lists = Record<PartList, unknown[]>;

function listsOf(part: InventoryPart): Lists {
  const { targets, errors: scopeErrors } = part.scope;
  return { targets, scopeErrors, ...part.inventory };
}

/**
 * Writes the part to `path` (gzip JSON lines), an element at a time: a part of 500 accounts is tens of megabytes.
 * Refuses, naming the cap, a part that would inflate past PART_CAPS: the merge could not read it.
 */
export async function writePart(
  part: InventoryPart,
  path: string,
  caps: LineCaps = PART_CAPS,
): Promise<void> {
  const gzip = createGzip();
  const written = pipeline(gzip, createWriteStream(path));
  try {
    await writeChunks(partLines(part, caps), gzip);
  } finally {
    gzip.end();
    await written;
  }
}

function* partLines(part: InventoryPart, caps: LineCaps): Generator<string> {
  const lists = listsOf(part);
  const { targets: _t, errors: _e, split: _s, ...scope } = part.scope as Scope;
  const header = {
    format: FORMAT,
    version: VERSION,
    ...(part.runId === undefined ? {} : { runId: part.runId }),
    split: part.split,
    shard: part.shard,
    startedAt: part.startedAt,
    auditor: part.auditor,
    scope,
    lists: Object.fromEntries(PART_LIST_NAMES.map((name) => [name, lists[name].length])),
  };
  let bytes = 0;
  const line = (value: unknown): string => {
    const text = `${JSON.stringify(value) ?? 'null'}\n`;
    bytes += Buffer.byteLength(text);
    if (bytes > caps.inflatedBytes)
      throw new Error(
        `the part of shard ${part.shard.index}/${part.shard.count} runs past ${describeBytes(caps.inflatedBytes)}, the cap the merge reads a part under: split the audit into more shards (a smaller shard size)`,
      );
    return text;
  };
  yield line(header);
  for (const name of PART_LIST_NAMES) for (const item of lists[name]) yield line(item);
}

const count = z.number().int().min(0);
// The header: what the part is. The elements are checked one by one as they are read (part-shapes.ts).
const headerSchema = z.object({
  format: z.literal(FORMAT, `expected "${FORMAT}": not an inventory part of this tool`),
  version: z.literal(VERSION, `expected part version ${VERSION} (written by this version of the tool)`),
  runId: z.string().optional(),
  split: z.object({
    fingerprint: z.string(),
    accounts: z.array(z.string()),
    count: z.number().int().min(1),
  }),
  shard: z.object({ index: z.number().int().min(1), count: z.number().int().min(1) }),
  startedAt: z.iso.datetime(),
  auditor: z.object({ accountId: z.string(), partition: z.string() }),
  scope: z.object({
    callerAccountId: z.string(),
    partition: z.enum(['aws', 'aws-cn', 'aws-us-gov']),
    accountsInScope: z.array(z.string()),
    regionsInScope: z.array(z.string()),
    accountNames: z.record(z.string(), z.string()),
    ouPaths: z.record(z.string(), z.string()),
    ouPathsError: z.string().optional(),
  }),
  lists: z.object(
    Object.fromEntries(PART_LIST_NAMES.map((name) => [name, count])) as Record<PartList, typeof count>,
  ),
});
type Header = z.infer<typeof headerSchema>;

/** A part's file, and how errors name it (its S3 object, for a part downloaded to read). */
export interface PartFile {
  path: string;
  source: string;
}

/** Parts written by writePart, in the order given, each read as it inflates; throws naming the part and what. */
export async function* readParts(
  files: readonly PartFile[],
  caps: LineCaps = PART_CAPS,
): AsyncGenerator<NamedPart> {
  for (const { path, source } of files) yield { source, part: await readPart(path, source, caps) };
}

async function readPart(path: string, source: string, caps: LineCaps): Promise<InventoryPart> {
  let header: Header | undefined;
  const lists = Object.fromEntries(PART_LIST_NAMES.map((name) => [name, []])) as unknown as Lists;
  // The list the next line belongs to: the first one not yet holding what the header announces.
  let list = 0;
  const fail = (what: string) => new Error(`part ${source}: ${what}`);
  await readGzipLines({ path, source }, caps, (text, line) => {
    if (header === undefined) {
      header = parseHeader(text, fail);
      return;
    }
    const announced = header.lists;
    const full = (name: PartList) => lists[name].length >= announced[name];
    while (list < PART_LIST_NAMES.length && full(PART_LIST_NAMES[list] as PartList)) list++;
    const name = PART_LIST_NAMES[list];
    if (name === undefined) throw fail(`line ${line}: more lines than the header announces`);
    const items = lists[name];
    const where = `${name}[${items.length}] (line ${line})`;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw fail(`${where}: not JSON (${(error as Error).message})`);
    }
    const problem = elementProblem(name, value);
    if (problem) throw fail(`${where}: ${problem}`);
    items.push(value);
  });
  if (header === undefined) throw fail('empty: no header line');
  for (const name of PART_LIST_NAMES) {
    if (lists[name].length < header.lists[name])
      throw fail(
        `truncated: ${name} holds ${lists[name].length} of the ${header.lists[name]} its header announces`,
      );
  }
  return partOf(header, lists);
}

function parseHeader(text: string, fail: (what: string) => Error): Header {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail(`line 1: not JSON (${(error as Error).message})`);
  }
  const parsed = headerSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fail(`${issue?.path.join('.') || '(header)'}: ${issue?.message}`);
  }
  return parsed.data;
}

function partOf(header: Header, lists: Lists): InventoryPart {
  const { accounts, clusters, providers, roles, hosts, issuers, errors } = lists as unknown as Inventory;
  return {
    ...(header.runId === undefined ? {} : { runId: header.runId }),
    split: header.split,
    shard: header.shard,
    startedAt: header.startedAt,
    auditor: header.auditor,
    scope: {
      ...header.scope,
      targets: lists.targets as AccountTarget[],
      errors: lists.scopeErrors as AuditError[],
    },
    inventory: {
      accounts,
      clusters: sharingNamespaceLists(clusters),
      providers,
      roles,
      hosts,
      issuers: issuers.map(settledIssuer),
      errors,
    },
  };
}

/**
 * The part's clusters, those whose namespaces hold the same unannotated service accounts sharing one list again,
 * as the reads left them: JSON gives each its own copy.
 */
function sharingNamespaceLists(clusters: Cluster[]): Cluster[] {
  const pool = valuePool(namespaceAccountsKey);
  for (const { kubernetes } of clusters)
    if (kubernetes) kubernetes.unannotated = kubernetes.unannotated.map(pool);
  return clusters;
}
