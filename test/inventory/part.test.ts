import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InventoryPart, readParts, writePart } from '../../src/inventory/part.ts';
import type { Scope } from '../../src/scope/types.ts';
import {
  ACCOUNT_ID,
  aCluster,
  anAccount,
  anInventory,
  anIssuerProbe,
  aProvider,
  aRole,
} from '../support/inventory.ts';

function aPart(index: number, count: number): InventoryPart {
  const accountId = String(100000000000 + index);
  const cluster = aCluster({ accountId, name: `cluster-${index}` });
  const provider = aProvider({ cluster, accountId });
  const scope: Scope = {
    callerAccountId: ACCOUNT_ID,
    partition: 'aws',
    accountsInScope: [accountId],
    regionsInScope: [cluster.region],
    targets: [],
    accountNames: {},
    ouPaths: {},
    errors: [],
  };
  return {
    shard: { index, count },
    startedAt: '2026-12-01T00:00:00.000Z',
    auditor: { accountId: ACCOUNT_ID, partition: 'aws' },
    scope,
    inventory: anInventory({
      accounts: [anAccount({ accountId })],
      clusters: [cluster],
      providers: [provider],
      roles: [aRole({ accountId, name: `app-${index}`, trusts: [provider.arn] })],
      issuers: [anIssuerProbe({ issuer: cluster.issuer ?? '' })],
    }),
  };
}

async function readAll(paths: string[]): Promise<InventoryPart[]> {
  const parts: InventoryPart[] = [];
  for await (const part of readParts(paths)) parts.push(part);
  return parts;
}

describe('readParts', () => {
  let dir: string;
  const written: InventoryPart[] = [];
  const paths: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eks-oidc-parts-'));
    for (let index = 1; index <= 3; index++) {
      const part = aPart(index, 3);
      const path = join(dir, `part-${index}.json.gz`);
      await writePart(part, path);
      written.push(part);
      paths.push(path);
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('gives back every part as written, in the order given, though each is read ahead of its turn', async () => {
    // Act
    const parts = await readAll([paths[2] ?? '', paths[0] ?? '', paths[1] ?? '']);

    // Assess
    expect(parts.map((part) => part.shard.index)).toEqual([3, 1, 2]);
    expect(parts[1]).toEqual(written[0]);
  });

  it('yields the parts before a file that is not there, then fails naming it', async () => {
    // Prepare
    const missing = join(dir, 'part-4.json.gz');
    const seen: number[] = [];

    // Act
    const reading = (async () => {
      for await (const part of readParts([paths[0] ?? '', paths[1] ?? '', missing]))
        seen.push(part.shard.index);
    })();

    // Assess
    await expect(reading).rejects.toThrow(`part ${missing}: ENOENT`);
    expect(seen).toEqual([1, 2]);
  });
});
