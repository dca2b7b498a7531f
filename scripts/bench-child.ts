// The auditor process of a benchmark: the CLI run by scripts/bench-auditor.ts in a child of its own, so that the
// peak RSS and CPU reported are the auditor's and not the sandbox's.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MALLOC_ENVIRONMENT, NODE_START_FLAGS } from '../src/runtime/heap.ts';
import type { AuditorResult } from './bench-auditor.ts';

export interface AuditorRun {
  exitCode: number;
  result: AuditorResult | undefined;
  /** The last 4,000 characters the auditor wrote to stderr. */
  stderr: string;
}

/**
 * `eks-oidc-audit ARGS` in a child process started with the CLI's Node flags, or `startFlags` (and
 * BENCH_NODE_ARGS).
 */
export async function runAuditor(
  args: string[],
  env: Record<string, string>,
  cpuProf?: string,
  startFlags: readonly string[] = NODE_START_FLAGS,
): Promise<AuditorRun> {
  const child = fork(fileURLToPath(new URL('./bench-auditor.ts', import.meta.url)), args, {
    // The allocator's environment the CLI and the Lambda start with, so that the RSS measured is theirs.
    env: { ...process.env, ...MALLOC_ENVIRONMENT, ...env },
    // The flags the CLI's bin starts with by default, so the RSS measured is the shipped CLI's.
    execArgv: [
      ...startFlags,
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ...(cpuProf ? ['--cpu-prof', '--cpu-prof-dir', cpuProf] : []),
    ],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let result: AuditorResult | undefined;
  child.on('message', (message) => {
    result = message as AuditorResult;
  });
  const exitCode = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  return { exitCode, result, stderr };
}
