// Manual runs: `npm run sandbox [WORLD.json] [-- --port N] [--no-issuers]` (node test/sandbox/main.ts) starts a
// sandbox, the demo world's unless another is named, prints the environment to paste into another shell, and
// stops on Ctrl-C with a call summary.

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './server.ts';
import { loadWorld, WorldValidationError } from './world.ts';

const DEMO_WORLD = join(import.meta.dirname, 'worlds', 'demo.json');

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '0' },
      'no-issuers': { type: 'boolean', default: false },
    },
  });
  const path = positionals[0] ?? DEMO_WORLD;
  const world = await loadWorld(path);
  const sandbox = await startSandbox(world, {
    port: Number(values.port),
    issuers: !values['no-issuers'],
    logEntries: false,
    source: path,
  });
  process.stderr.write(
    `sandbox for ${path} on ${sandbox.endpoint} (caller ${sandbox.caller.accountId}); Ctrl-C stops it\n`,
  );
  for (const [key, value] of Object.entries(sandbox.env))
    process.stdout.write(`export ${key}=${shellQuote(value)}\n`);

  const stop = async () => {
    await sandbox.stop();
    process.stderr.write(`${JSON.stringify(sandbox.log.byOperation(), null, 2)}\n`);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof WorldValidationError ? error.message : (error as Error).stack}\n`);
  process.exitCode = 1;
});
