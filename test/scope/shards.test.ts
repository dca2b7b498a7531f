import { describe, expect, it } from 'vitest';
import { shardOf } from '../../src/scope/resolve.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i));

describe('shardOf', () => {
  it.each([
    [10, 3],
    [1000, 20],
    [7, 7],
    [3, 5],
  ])('gives each of %i accounts to exactly one of %i shards, in near-equal runs', (accounts, count) => {
    // Prepare: the accounts in no particular order
    const all = ids(accounts).reverse();

    // Act
    const shards = Array.from({ length: count }, (_, i) => shardOf(all, { index: i + 1, count }));

    // Assess
    expect(shards.flat()).toEqual(ids(accounts));
    const sizes = shards.map((shard) => shard.length).filter((size) => size > 0);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(Math.ceil(accounts / count));
    expect(Math.max(...sizes)).toBe(Math.ceil(accounts / count));
  });
});
