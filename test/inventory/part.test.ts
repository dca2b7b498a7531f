import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type InventoryPart,
  type NamedPart,
  PART_CAPS,
  type PartFile,
  readParts,
  writePart,
} from '../../src/inventory/part.ts';
import type { Cluster } from '../../src/model/inventory.ts';
import { readCluster, unannotatedIn } from '../support/kubernetes.ts';
import { aPart } from '../support/parts.ts';

const MiB = 1024 ** 2;

async function readAll(files: PartFile[], caps = PART_CAPS): Promise<NamedPart[]> {
  const parts: NamedPart[] = [];
  for await (const part of readParts(files, caps)) parts.push(part);
  return parts;
}

const fileAt = (path: string, source = path): PartFile => ({ path, source });

/** The part's lines as written, to be tampered with. */
async function linesOf(part: InventoryPart, dir: string): Promise<string[]> {
  const path = join(dir, `lines-${part.shard.index}.json.gz`);
  await writePart(part, path);
  return gunzipSync(await readFile(path))
    .toString('utf8')
    .trimEnd()
    .split('\n');
}

/** A gzip file of `members` gzip members, each inflating to `block` (a 2 MB file may inflate to gigabytes). */
async function writeBomb(path: string, block: Buffer, members: number): Promise<void> {
  const member = gzipSync(block, { level: 9 });
  await pipeline(
    (function* () {
      for (let i = 0; i < members; i++) yield member;
    })(),
    createWriteStream(path),
  );
}

describe('readParts', () => {
  let dir: string;
  const written: InventoryPart[] = [];
  const paths: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eks-oidc-parts-'));
    for (let index = 1; index <= 3; index++) {
      const part = aPart(index, 3, { runId: 'run-1' });
      const path = join(dir, `part-${index}.json.gz`);
      await writePart(part, path);
      written.push(part);
      paths.push(path);
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('gives back every part as written, in the order given, each named by its source', async () => {
    // Act
    const parts = await readAll([
      fileAt(paths[2] ?? '', 's3://parts/3'),
      fileAt(paths[0] ?? '', 's3://parts/1'),
      fileAt(paths[1] ?? '', 's3://parts/2'),
    ]);

    // Assess
    expect(parts.map(({ source, part }) => `${source} ${part.shard.index}`)).toEqual([
      's3://parts/3 3',
      's3://parts/1 1',
      's3://parts/2 2',
    ]);
    expect(parts[1]?.part).toEqual(written[0]);
  });

  it('writes a header line, then one line per element', async () => {
    // Act
    const lines = await linesOf(aPart(1, 3, { runId: 'run-1' }), dir);

    // Assess
    const header = JSON.parse(lines[0] ?? '{}') as {
      version: number;
      runId: string;
      lists: Record<string, number>;
    };
    expect(header.version).toBe(2);
    expect(header.runId).toBe('run-1');
    const elements = Object.values(header.lists).reduce((sum, n) => sum + n, 0);
    expect(lines).toHaveLength(1 + elements);
  });

  it('yields the parts before a file that is not there, then fails naming it', async () => {
    // Prepare
    const missing = join(dir, 'part-4.json.gz');
    const seen: number[] = [];

    // Act
    const reading = (async () => {
      for await (const { part } of readParts([
        fileAt(paths[0] ?? ''),
        fileAt(paths[1] ?? ''),
        fileAt(missing),
      ]))
        seen.push(part.shard.index);
    })();

    // Assess
    await expect(reading).rejects.toThrow(`part ${missing}: ENOENT`);
    expect(seen).toEqual([1, 2]);
  });

  it('reads the clusters whose namespaces hold the same unannotated service accounts sharing one list, as the reads left them', async () => {
    // Prepare: two clusters of one part, kube-system holding the same names in both
    const part = aPart(1, 3);
    const [first] = part.inventory.clusters;
    const kubeSystem = () => unannotatedIn('kube-system', 'aws-node', 'coredns', 'kube-proxy');
    part.inventory.clusters = [
      readCluster({ ...(first as Cluster), name: 'a' }, { unannotated: [kubeSystem()] }),
      readCluster({ ...(first as Cluster), name: 'b' }, { unannotated: [kubeSystem()] }),
    ];
    const path = join(dir, 'shared-lists.json.gz');
    await writePart(part, path);

    // Act
    const [read] = await readAll([fileAt(path)]);

    // Assess
    const [a, b] = read?.part.inventory.clusters ?? [];
    expect(a?.kubernetes?.unannotated).toEqual([kubeSystem()]);
    expect(b?.kubernetes?.unannotated[0]).toBe(a?.kubernetes?.unannotated[0]);
  });

  it.each([
    [
      'a field of the wrong type',
      (element: Record<string, unknown>) => ({ ...element, arn: 42 }),
      'roles[0] (line 6): arn: expected a string, found number 42',
    ],
    [
      'a field missing',
      ({ accountId: _, ...element }: Record<string, unknown>) => element,
      'roles[0] (line 6): accountId: expected a string, found nothing',
    ],
    [
      'not an object',
      () => ['a', 'list'],
      'roles[0] (line 6): (the element): expected an object, found an array',
    ],
  ])('names the part, list, index, line and field of an element with %s', async (_, tamper, message) => {
    // Prepare: line 6 is the role (targets, account, cluster, provider come before it)
    const lines = await linesOf(aPart(1, 3), dir);
    lines[5] = JSON.stringify(tamper(JSON.parse(lines[5] ?? '{}') as Record<string, unknown>));
    const path = join(dir, 'malformed.json.gz');
    await writeFile(path, gzipSync(lines.join('\n')));

    // Act
    const reading = readAll([fileAt(path, 's3://parts/runs/r/part-1.json.gz')]);

    // Assess
    await expect(reading).rejects.toThrow(`part s3://parts/runs/r/part-1.json.gz: ${message}`);
  });

  it.each([
    [
      'holds fewer elements than its header announces',
      (lines: string[]) => lines.slice(0, -1),
      'truncated: issuers holds 0 of the 1 its header announces',
    ],
    [
      'holds more lines than its header announces',
      (lines: string[]) => [...lines, '{}'],
      'line 8: more lines than the header announces',
    ],
    [
      'has a line that is not JSON',
      (lines: string[]) => [lines[0] ?? '', '{"accountId":', ...lines.slice(2)],
      'targets[0] (line 2): not JSON',
    ],
  ])('refuses a part that %s', async (_, tamper, message) => {
    // Prepare
    const path = join(dir, 'tampered.json.gz');
    await writeFile(path, gzipSync(tamper(await linesOf(aPart(2, 3), dir)).join('\n')));

    // Act
    const reading = readAll([fileAt(path)]);

    // Assess
    await expect(reading).rejects.toThrow(`part ${path}: ${message}`);
  });

  it('refuses a 2 MB gzip that inflates to 2 GiB of one line, at the cap on a line', async () => {
    // Prepare: 128 gzip members of 16 MiB of zeros each
    const path = join(dir, 'bomb.json.gz');
    await writeBomb(path, Buffer.alloc(16 * MiB), 128);

    // Act
    const reading = readAll([fileAt(path, 's3://parts/bomb.json.gz')]);

    // Assess
    await expect(reading).rejects.toThrow(
      'part s3://parts/bomb.json.gz: line 1 runs past 64 MiB, the cap on one line',
    );
  });

  it('refuses a part that inflates past the cap on a part, though each line is short', async () => {
    // Prepare: a valid header announcing a million roles, then gigabytes of short lines
    const [header] = await linesOf(aPart(1, 3), dir);
    const path = join(dir, 'lines-bomb.json.gz');
    const announced = JSON.parse(header ?? '{}') as { lists: Record<string, number> };
    announced.lists.targets = 10_000_000;
    await writeFile(path, gzipSync(`${JSON.stringify(announced)}\n`));
    const line = `${JSON.stringify({ accountId: '1', partition: 'aws', regions: [] })}\n`;
    const block = Buffer.from(line.repeat(Math.floor(MiB / line.length)));
    await writeBomb(`${path}.tail`, block, 64);
    await writeFile(path, Buffer.concat([await readFile(path), await readFile(`${path}.tail`)]));

    // Act: a cap of 8 MiB on the part
    const reading = readAll([fileAt(path)], { ...PART_CAPS, inflatedBytes: 8 * MiB });

    // Assess
    await expect(reading).rejects.toThrow(
      `part ${path}: inflates past 8 MiB, the cap on a part: not read further`,
    );
  });
});

describe('writePart', () => {
  it('refuses a part past the cap the merge reads parts under, naming the shard and the cap', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'eks-oidc-parts-'));
    const part = aPart(2, 3);

    // Act
    const writing = writePart(part, join(dir, 'part.json.gz'), { ...PART_CAPS, inflatedBytes: 1024 });

    // Assess
    await expect(writing).rejects.toThrow(
      'the part of shard 2/3 runs past 1 KiB, the cap the merge reads a part under',
    );
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a part within the cap', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'eks-oidc-parts-'));
    const path = join(dir, 'part.json.gz');

    // Act
    await writePart(aPart(2, 3), path, { ...PART_CAPS, inflatedBytes: 64 * 1024 });

    // Assess
    expect((await readAll([fileAt(path)]))[0]?.part.shard).toEqual({ index: 2, count: 3 });
    await rm(dir, { recursive: true, force: true });
  });
});
