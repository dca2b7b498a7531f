// The auditor side of scripts/bench.ts, run as its own process: the CLI itself (runCli, as src/cli.ts starts
// it, with the real SDK clients and issuer prober, the report written to --output), with a tap on its progress
// for when each stage reported and what memory was in use then, and this process's peak RSS and CPU time sent
// to the parent over IPC.

import { open, stat } from 'node:fs/promises';
import { runCli } from '../src/cli/main.ts';
import { parseFlags } from '../src/config/flags.ts';
import { defaultDeps } from '../src/deps.ts';
import type { Report } from '../src/report/types.ts';
import { tuneHeapForAudit } from '../src/runtime/heap.ts';
import { startMemoryTrace } from './memory-trace.ts';

export interface StageSpan {
  /** Milliseconds from the start of the CLI to the stage's first and last progress report. */
  firstMs: number;
  lastMs: number;
}

export interface AuditorResult {
  exitCode: number;
  auditMs: number;
  stages: Record<string, StageSpan>;
  /** The report's summary; none for a shard, which writes a part. */
  summary: Report['summary'] | undefined;
  reportBytes: number;
  maxRssBytes: number;
  /** Largest V8 heap in use and largest off-heap (Buffers, ArrayBuffers) memory, sampled every 250 ms. */
  maxHeapUsedBytes: number;
  maxExternalBytes: number;
  /** RSS and heap in use at each stage's first progress report, and after the report was written. */
  memoryAt: Record<string, { rssBytes: number; heapUsedBytes: number }>;
  cpuMs: number;
}

const argv = process.argv.slice(2);
const flags = parseFlags(argv);
// A whole run or a merge writes its report to --output; a shard its part to --part-out.
const output = flags.output ?? flags.partOut;
if (!output || !process.send) throw new Error('run by scripts/bench.ts, with --output or --part-out');
tuneHeapForAudit();
const stopMemoryTrace = process.env.BENCH_MEMORY_TRACE
  ? startMemoryTrace(process.env.BENCH_MEMORY_TRACE)
  : undefined;

const stages: Record<string, StageSpan> = {};
const memoryAt: AuditorResult['memoryAt'] = {};
let maxHeapUsedBytes = 0;
let maxExternalBytes = 0;
const sample = () => {
  const memory = process.memoryUsage();
  maxHeapUsedBytes = Math.max(maxHeapUsedBytes, memory.heapUsed);
  maxExternalBytes = Math.max(maxExternalBytes, memory.external);
  return { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed };
};
const sampler = setInterval(sample, 250);
const started = performance.now();
const exitCode = await runCli({
  argv,
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  version: 'bench',
  makeDeps: (config, extra) =>
    defaultDeps(config, process.env, {
      onProgress: (progress) => {
        const at = performance.now() - started;
        const span = stages[progress.stage];
        if (span) span.lastMs = at;
        else {
          stages[progress.stage] = { firstMs: at, lastMs: at };
          memoryAt[progress.stage] = sample();
        }
        extra.onProgress?.(progress);
      },
    }),
});
const auditMs = performance.now() - started;
memoryAt['report written'] = sample();
clearInterval(sampler);
stopMemoryTrace?.();
const usage = process.resourceUsage();
// Read back only now: parsing the report must not count in the auditor's memory.
const summary = flags.output ? await summaryOf(output) : undefined;
const result: AuditorResult = {
  exitCode,
  auditMs,
  stages,
  summary,
  reportBytes: (await stat(output)).size,
  // resourceUsage() gives kilobytes and microseconds.
  maxRssBytes: usage.maxRSS * 1024,
  maxHeapUsedBytes,
  maxExternalBytes,
  memoryAt,
  cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
};
process.send(result, () => process.disconnect());

/**
 * The report's summary, read from the head of its file: the report of 10,000 accounts is over a gigabyte of JSON,
 * more than one string can hold, and the summary comes right after the scope.
 */
async function summaryOf(path: string): Promise<Report['summary']> {
  const file = await open(path);
  try {
    const head = Buffer.alloc(32 * 1024 * 1024);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const text = head.subarray(0, bytesRead).toString('utf8');
    const start = text.indexOf('{', text.indexOf('\n  "summary": '));
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}' && --depth === 0)
        return JSON.parse(text.slice(start, i + 1)) as Report['summary'];
    }
    throw new Error(`${path}: no summary in its first ${bytesRead} bytes`);
  } finally {
    await file.close();
  }
}
