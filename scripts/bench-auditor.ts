// The auditor side of scripts/bench.ts, run as its own process: what `eks-oidc-audit --format json --output
// FILE` does (flags and environment → config → runAudit with the real SDK clients and issuer prober → the JSON
// report written out), plus when each stage reported progress, and this process's peak RSS and CPU time,
// sent to the parent over IPC.

import { stat } from 'node:fs/promises';
import { runAudit } from '../src/audit.ts';
import { inputFromEnv } from '../src/config/env.ts';
import { parseFlags } from '../src/config/flags.ts';
import { mergeInputs, resolveConfig } from '../src/config/resolve.ts';
import { defaultDeps } from '../src/deps.ts';
import { writeReportFile } from '../src/report/json.ts';
import { tuneHeapForAudit } from '../src/runtime/heap.ts';

export interface StageSpan {
  /** Milliseconds from the start of runAudit to the stage's first and last progress report. */
  firstMs: number;
  lastMs: number;
}

export interface AuditorResult {
  auditMs: number;
  stages: Record<string, StageSpan>;
  summary: unknown;
  reportBytes: number;
  maxRssBytes: number;
  /** Largest V8 heap in use and largest off-heap (Buffers, ArrayBuffers) memory, sampled every 250 ms. */
  maxHeapUsedBytes: number;
  maxExternalBytes: number;
  /** RSS and heap in use at each stage's first progress report, and after the report was written. */
  memoryAt: Record<string, { rssBytes: number; heapUsedBytes: number }>;
  cpuMs: number;
}

tuneHeapForAudit();
const options = parseFlags(process.argv.slice(2));
const output = options.output;
if (!output || !process.send) throw new Error('run by scripts/bench.ts, with --output');
const config = resolveConfig('cli', mergeInputs(inputFromEnv(process.env), options.input));
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
const { report } = await runAudit(
  config,
  defaultDeps(config, process.env, {
    onProgress: ({ stage }) => {
      const at = performance.now() - started;
      const span = stages[stage];
      if (span) span.lastMs = at;
      else {
        stages[stage] = { firstMs: at, lastMs: at };
        memoryAt[stage] = sample();
      }
    },
  }),
);
await writeReportFile(report, output);
const auditMs = performance.now() - started;
memoryAt['report written'] = sample();
clearInterval(sampler);
const usage = process.resourceUsage();
const result: AuditorResult = {
  auditMs,
  stages,
  summary: report.summary,
  reportBytes: (await stat(output)).size,
  // resourceUsage() gives kilobytes and microseconds.
  maxRssBytes: usage.maxRSS * 1024,
  maxHeapUsedBytes,
  maxExternalBytes,
  memoryAt,
  cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
};
process.send(result, () => process.disconnect());
