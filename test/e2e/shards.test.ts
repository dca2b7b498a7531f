// An audit split into shards and merged (docs/fan-out.md) must find exactly what one run over the whole
// organization finds: the demo world (every check planted, cross-account IRSA between accounts of different
// shards, Pod Identity, accepted-risk candidates) audited once, then as shards of it, through the CLI.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.ts';
import { useDemoSandbox } from './support/demo.ts';

/** What a report says about the organization, without when it was said. */
function judged(report: Report) {
  const { startedAt: _s, finishedAt: _f, ...rest } = report;
  return rest;
}

describe.each([2, 3, 4])('the demo world split into %i shards', (count) => {
  const demo = useDemoSandbox();
  let dir: string;
  let whole: Report;
  let merged: Report;
  const shardLines: string[] = [];

  beforeAll(async () => {
    // Prepare: the whole audit, as one run
    dir = await mkdtemp(join(tmpdir(), 'eks-oidc-shards-'));
    const one = await demo.audit('--format', 'json');
    expect(one.code, one.stderr).toBe(0);
    whole = JSON.parse(one.stdout) as Report;

    // Act: each shard writes its part, then the merge step judges them
    const parts: string[] = [];
    for (let index = 1; index <= count; index++) {
      const part = join(dir, `part-${index}.json.gz`);
      const shard = await demo.audit('--shard', `${index}/${count}`, '--part-out', part);
      expect(shard.code, shard.stderr).toBe(0);
      shardLines.push(shard.stderr.trim().split('\n').at(-1) ?? '');
      parts.push(part);
    }
    const merge = await demo.audit('--format', 'json', ...parts.flatMap((part) => ['--merge', part]));
    expect(merge.code, merge.stderr).toBe(0);
    merged = JSON.parse(merge.stdout) as Report;
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds exactly what the whole audit finds, and reports the same organization', () => {
    expect(merged.findings).toEqual(whole.findings);
    expect(judged(merged)).toEqual(judged(whole));
    expect(whole.findings.length).toBeGreaterThanOrEqual(30);
  });

  it('read each account in exactly one shard', () => {
    const accounts = shardLines.map((line) => Number(/(\d+) account\(s\)/.exec(line)?.[1]));
    expect(accounts.reduce((a, b) => a + b, 0)).toBe(whole.accounts.length);
    expect(shardLines.every((line) => line.includes(`/${count}: `))).toBe(true);
  });
});

describe('the merge step refuses parts that are not one whole split', () => {
  const demo = useDemoSandbox();
  let dir: string;
  let parts: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eks-oidc-shards-'));
    parts = [];
    for (let index = 1; index <= 2; index++) {
      const part = join(dir, `part-${index}.json.gz`);
      const shard = await demo.audit('--shard', `${index}/2`, '--part-out', part);
      expect(shard.code, shard.stderr).toBe(0);
      parts.push(part);
    }
    // Shard 2 of a split read in one region only: its accounts, but another split
    const other = await demo.audit(
      '--shard',
      '2/2',
      '--regions',
      'us-east-1',
      '--part-out',
      join(dir, 'other-split.json.gz'),
    );
    expect(other.code, other.stderr).toBe(0);
    await writeFile(join(dir, 'foreign.json.gz'), gzipSync(JSON.stringify({ format: 'something-else' })));
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['a missing shard', () => [parts[0] ?? ''], 'shard 2 of 2 missing'],
    ['a shard given twice', () => [parts[0] ?? '', parts[0] ?? '', parts[1] ?? ''], 'shard 1/2 given twice'],
    [
      'a file that is not a part',
      () => [...parts, join(dir, 'foreign.json.gz')],
      'foreign.json.gz: format: expected "eks-oidc-audit-part"',
    ],
    ['a file that is not there', () => [...parts, join(dir, 'nowhere.json.gz')], 'nowhere.json.gz: ENOENT'],
    [
      'a part of another split (other regions)',
      () => [parts[0] ?? '', join(dir, 'other-split.json.gz')],
      'other-split.json.gz (shard 2/2) is of split ',
    ],
  ])('%s', async (_, files, message) => {
    // Act
    const result = await demo.audit('--format', 'json', ...files().flatMap((file) => ['--merge', file]));

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
  });
});
