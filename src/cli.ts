#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=16 --expose-gc
import { readFileSync } from 'node:fs';
import { runCli } from './cli/main.ts';
import { tuneHeapForAudit } from './runtime/heap.ts';

tuneHeapForAudit();
// `eks-oidc-audit | head`: the reader leaving early is not a failure of the audit, and deserves no stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

process.exitCode = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  version,
});
