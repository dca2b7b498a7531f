// `npm run bench -- --fan-out --accounts 10000 --shards 20`: an organization audited as shards run in sequence
// (docs/fan-out.md), each on the local sandbox with the real CLI (`--shard I/N --part-out`), then the merge step
// (`--merge` of every part), with each step's wall time, CPU and peak RSS; the merge is the figure that bounds how
// large an organization can be judged at once.
//
// --replicate audits one shard for real and writes the others as copies of its part with the account ids and the
// issuer ids renamed (the merge cannot tell them apart: each copy is another set of accounts, clusters and
// issuers). It measures the merge of a 10,000-account organization in minutes instead of the better part of an
// hour; the shards' own figures are then those of the one shard audited.

import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { LAMBDA_HEAP_PERCENT, MERGE_YOUNG_GENERATION } from '../src/runtime/heap.ts';
import { type Split, splitOf } from '../src/scope/split.ts';
import { generatedAccountId, generateWorld } from '../test/sandbox/generate.ts';
import { startSandbox } from '../test/sandbox/server.ts';
import { runAuditor } from './bench-child.ts';
import { readServerlessConfig } from './serverless-config.ts';

export interface FanOutOptions {
  accounts: number;
  shards: number;
  regions: number;
  clusters: number;
  latencyMs: number;
  replicate: boolean;
  /** Keep the parts here (and reuse them when the directory already holds them): to measure the merge again. */
  partsDir: string | undefined;
  cpuProf: string | undefined;
  json: boolean;
}

interface StepFigures {
  wallMs: number;
  cpuMs: number;
  peakRssMiB: number;
}

const MiB = 1024 * 1024;

/**
 * The merge starts as the merge function does at its default memory (serverless.yml `mergeMemorySize`): the
 * heap's share of that memory is given in MB, since a share of this machine's memory is not the function's.
 */
async function mergeBenchFlags(): Promise<string[]> {
  const config = await readServerlessConfig<{ params: { default: { mergeMemorySize: number } } }>();
  const heapMb = Math.floor((config.params.default.mergeMemorySize * LAMBDA_HEAP_PERCENT) / 100);
  return [MERGE_YOUNG_GENERATION, `--max-old-space-size=${heapMb}`];
}

/** The header and the element lines of a part (gzip JSON lines, src/inventory/part.ts). */
interface PartText {
  header: Record<string, unknown> & { scope: Record<string, unknown>; split: Split };
  elements: string;
}

function partText(text: string): PartText {
  const newline = text.indexOf('\n');
  return {
    header: JSON.parse(text.slice(0, newline)) as PartText['header'],
    elements: text.slice(newline + 1),
  };
}

/** Every account id but the caller's (who audits) and every issuer id renamed for copy `index` of part 1. */
function renamer(index: number, perShard: number): (json: string) => string {
  const offset = (index - 1) * perShard;
  return (json) =>
    json
      .replace(/(?<![0-9A-Za-z])1\d{11}(?![0-9A-Za-z])/g, (id) =>
        generatedAccountId(Number(id) - Number(generatedAccountId(0)) + offset),
      )
      .replace(/\/id\/([0-9A-F]{32})/g, (_, id: string) => {
        const renamed = createHash('sha1').update(`${index}:${id}`).digest('hex').slice(0, 32).toUpperCase();
        return `/id/${renamed}`;
      });
}

/**
 * The split of the whole organization the copies make: part 1's accounts and every copy's, in as many shards, under
 * the options the shards ran with (`--accounts org --regions all`).
 */
function replicatedSplit(first: PartText, shards: number, perShard: number): Split {
  const accounts = Array.from({ length: shards }, (_, i) =>
    i === 0
      ? first.header.split.accounts
      : (JSON.parse(renamer(i + 1, perShard)(JSON.stringify(first.header.split.accounts))) as string[]),
  ).flat();
  return splitOf(accounts, shards, {
    accounts: { kind: 'org', includeOus: [], excludeOus: [], excludeAccounts: [] },
    regions: 'all',
  });
}

/**
 * Part `index` of `shards` as a copy of part 1 of a world of `perShard` accounts: every account id but the
 * caller's (who audits) and every issuer id renamed, so that the copy holds other accounts, clusters and issuers.
 */
function copyPart(first: PartText, index: number, split: Split, perShard: number): string {
  const rename = index === 1 ? (json: string) => json : renamer(index, perShard);
  const { callerAccountId, partition, ...scopeRest } = first.header.scope;
  const header = {
    ...first.header,
    split,
    shard: { index, count: split.count },
    scope: { callerAccountId, partition, ...(JSON.parse(rename(JSON.stringify(scopeRest))) as object) },
  };
  return `${JSON.stringify(header)}\n${rename(first.elements)}`;
}

export async function runFanOutBench(options: FanOutOptions): Promise<void> {
  const note = (line: string) => {
    if (!options.json) process.stderr.write(`${line}\n`);
  };
  const perShard = Math.ceil(options.accounts / options.shards);
  const audited = options.replicate ? 1 : options.shards;
  const world = generateWorld({
    accounts: options.replicate ? perShard : options.accounts,
    regions: options.regions,
    clustersPerRegion: options.clusters,
    faults: { latencyMs: options.latencyMs, rateLimits: 'aws' },
  });
  const work = options.partsDir ?? (await mkdtemp(join(tmpdir(), 'eks-oidc-fan-out-')));
  const kept = options.partsDir
    ? (await readdir(options.partsDir).catch(() => [])).filter((name) => /^part-\d+\.json\.gz$/.test(name))
    : [];
  if (kept.length > 0 && kept.length !== options.shards)
    throw new Error(`${options.partsDir} holds ${kept.length} parts, not ${options.shards}`);
  const parts: string[] = kept.map((name) => join(work, name));
  const shards: StepFigures[] = [];
  if (parts.length === 0) await mkdir(work, { recursive: true });
  const sandbox = parts.length > 0 ? undefined : await startSandbox(world, { logEntries: false });
  if (!sandbox) note(`reusing the ${parts.length} parts in ${work}`);
  try {
    for (let index = 1; sandbox && index <= audited; index++) {
      const part = join(work, `part-${index}.json.gz`);
      const of = options.replicate ? 1 : options.shards;
      note(`shard ${index}/${of}: auditing ${options.replicate ? perShard : 'its share of'} accounts`);
      const started = performance.now();
      const run = await runAuditor(
        ['--accounts', 'org', '--regions', 'all', '--shard', `${index}/${of}`, '--part-out', part],
        sandbox.env,
      );
      if (run.exitCode !== 0 || !run.result) throw new Error(`shard ${index} failed:\n${run.stderr}`);
      shards.push({
        wallMs: performance.now() - started,
        cpuMs: run.result.cpuMs,
        peakRssMiB: run.result.maxRssBytes / MiB,
      });
      parts.push(part);
    }
  } finally {
    await sandbox?.stop();
  }
  if (options.replicate && sandbox) {
    const first = partText(gunzipSync(await readFile(parts[0] as string)).toString('utf8'));
    const split = replicatedSplit(first, options.shards, perShard);
    // Part 1 is the only shard of its own split until now: it becomes shard 1 of the whole one.
    await writeFile(parts[0] as string, gzipSync(copyPart(first, 1, split, perShard)));
    for (let index = 2; index <= options.shards; index++) {
      const part = join(work, `part-${index}.json.gz`);
      await writeFile(part, gzipSync(copyPart(first, index, split, perShard)));
      parts.push(part);
    }
  }
  const partBytes = (await Promise.all(parts.map((part) => stat(part)))).reduce((sum, s) => sum + s.size, 0);

  note(`merge: ${parts.length} parts, ${(partBytes / MiB).toFixed(1)} MiB compressed`);
  const report = join(work, 'report.json');
  const started = performance.now();
  const merge = await runAuditor(
    [...parts.flatMap((part) => ['--merge', part]), '--format', 'json', '--output', report],
    {},
    options.cpuProf,
    await mergeBenchFlags(),
  );
  const mergeWallMs = performance.now() - started;
  await rm(options.partsDir ? report : work, { recursive: true, force: true });
  if (merge.exitCode !== 0 || !merge.result?.summary) throw new Error(`the merge failed:\n${merge.stderr}`);

  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const figures = {
    world: {
      accounts: options.accounts,
      shards: options.shards,
      regions: options.regions,
      clustersPerRegion: options.clusters,
      latencyMs: options.latencyMs,
      replicated: options.replicate,
    },
    shards: {
      audited: shards.length,
      meanWallMs: Math.round(mean(shards.map((s) => s.wallMs))),
      meanCpuMs: Math.round(mean(shards.map((s) => s.cpuMs))),
      maxPeakRssMiB: Math.round(Math.max(...shards.map((s) => s.peakRssMiB))),
    },
    parts: { count: parts.length, compressedMiB: Number((partBytes / MiB).toFixed(1)) },
    merge: {
      wallMs: Math.round(mergeWallMs),
      cliMs: Math.round(merge.result.auditMs),
      cpuMs: Math.round(merge.result.cpuMs),
      peakRssMiB: Math.round(merge.result.maxRssBytes / MiB),
      peakHeapUsedMiB: Math.round(merge.result.maxHeapUsedBytes / MiB),
      reportMiB: Number((merge.result.reportBytes / MiB).toFixed(1)),
    },
    report: merge.result.summary,
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const r = figures.report;
  process.stdout.write(
    `${[
      `world        ${options.accounts} accounts × ${options.regions} regions × ${options.clusters} clusters in ${options.shards} shards, ${options.latencyMs} ms a call${options.replicate ? ` (one shard audited, ${options.shards - 1} copies of its part)` : ''}`,
      figures.shards.audited === 0
        ? `shards       none audited: the parts in ${options.partsDir} were merged again`
        : `shards       ${figures.shards.audited} audited in sequence: ${s(figures.shards.meanWallMs)} wall and ${s(figures.shards.meanCpuMs)} CPU each on average, peak RSS ${figures.shards.maxPeakRssMiB} MiB at most`,
      `parts        ${figures.parts.count}, ${figures.parts.compressedMiB} MiB compressed`,
      `merge        ${s(figures.merge.wallMs)} wall (the CLI ${s(figures.merge.cliMs)}), CPU ${s(figures.merge.cpuMs)}, peak RSS ${figures.merge.peakRssMiB} MiB (heap ${figures.merge.peakHeapUsedMiB} MiB), report ${figures.merge.reportMiB} MiB`,
      `report       ${r.accounts} accounts, ${r.clusters} clusters, ${r.providers} providers, ${r.roles} roles, ${r.errors} errors`,
    ].join('\n')}\n`,
  );
}
