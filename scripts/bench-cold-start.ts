// `npm run bench -- --cold-start`: what a cold start costs. Builds the Lambda bundle with serverless.yml's own
// esbuild options (as serverless-esbuild does, into a temp directory), and reports
// - the handler's size (what a cold start compiles) against the chunks loaded only when a run needs them, and
//   the packages that weigh most in the handler;
// - module init: importing the handler in a fresh Node process, the median of several runs;
// - the built CLI's `--help` wall time against `node -e 0`, the median of several runs.
// Figures, not a test: nothing here passes or fails on a threshold.

import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { readServerlessConfig } from './serverless-config.ts';

const REPO = new URL('..', import.meta.url).pathname;

// Options of the serverless-esbuild plugin itself, which esbuild does not take.
const PLUGIN_ONLY = new Set(['exclude', 'outputFileExtension', 'packager', 'concurrency', 'zipConcurrency']);

export interface ColdStartFigures {
  handlerBytes: number;
  chunkBytes: number;
  heaviestInHandler: { name: string; bytes: number }[];
  moduleInitMs: { median: number; min: number; runs: number };
  cliHelpMs: { median: number; min: number; runs: number };
  nodeBaselineMs: { median: number; min: number; runs: number };
}

async function buildHandler(dir: string): Promise<{ handler: string; metafile: Metafile }> {
  const config = await readServerlessConfig<{ custom: { esbuild: Record<string, unknown> } }>();
  const options = Object.fromEntries(
    Object.entries(config.custom.esbuild).filter(([key]) => !PLUGIN_ONLY.has(key)),
  );
  const extension = (config.custom.esbuild.outputFileExtension as string | undefined) ?? '.js';
  const result = await build({
    ...options,
    entryPoints: [join(REPO, 'src/handler.ts')],
    outdir: join(dir, 'src'),
    outExtension: { '.js': extension },
    metafile: true,
    logLevel: 'warning',
  });
  // As in the zip: src/package.json marks the .js files as ES modules.
  await writeFile(join(dir, 'src/package.json'), await readFile(join(REPO, 'src/package.json')));
  return { handler: join(dir, 'src', `handler${extension}`), metafile: result.metafile };
}

function packageOf(path: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return match?.[1] ?? 'src (this repository)';
}

function stats(samples: number[]): { median: number; min: number; runs: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return { median: Math.round(median), min: Math.round(sorted[0] ?? 0), runs: samples.length };
}

/** Wall time of a fresh process, from spawn to exit. */
function wallMs(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  return ms;
}

export async function measureColdStart(runs: number): Promise<ColdStartFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'eks-oidc-cold-start-'));
  try {
    const { handler, metafile } = await buildHandler(dir);
    // What a cold start loads: the handler and the chunks it imports statically, transitively. The rest (dynamic
    // imports: the EC2 fallback, Security Hub, suppressions' YAML and SSM) loads when a run needs it.
    const outputs = metafile.outputs;
    // esbuild names outputs relative to the working directory.
    const entry = Object.keys(outputs).find((path) => resolve(path) === handler);
    if (!entry) throw new Error(`esbuild wrote no ${handler}`);
    const loaded = new Set<string>();
    const visit = (path: string) => {
      if (loaded.has(path)) return;
      loaded.add(path);
      for (const imported of outputs[path]?.imports ?? [])
        if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    };
    visit(entry);
    let handlerBytes = 0;
    let chunkBytes = 0;
    const weights = new Map<string, number>();
    for (const [path, output] of Object.entries(outputs)) {
      if (path.endsWith('.map')) continue;
      if (!loaded.has(path)) {
        chunkBytes += output.bytes;
        continue;
      }
      handlerBytes += output.bytes;
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
        weights.set(packageOf(input), (weights.get(packageOf(input)) ?? 0) + bytesInOutput);
    }
    // Module init as the runtime does it: a fresh process imports the handler; the time is taken inside it, so
    // Node's own start is not counted (it is in the CLI figures below).
    const probe = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(handler).href)}); process.stdout.write(String(performance.now() - t));`;
    const init: number[] = [];
    for (let i = 0; i < runs; i++) {
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
        encoding: 'utf8',
      });
      if (result.status !== 0) throw new Error(`importing the handler failed: ${result.stderr}`);
      init.push(Number(result.stdout));
    }
    // The CLI as users run it: the package's bin over the bundle `npm run build` writes.
    const buildCli = spawnSync(process.execPath, [join(REPO, 'scripts/build-cli.ts')], {
      cwd: REPO,
      encoding: 'utf8',
    });
    if (buildCli.status !== 0) throw new Error(`npm run build failed: ${buildCli.stderr}`);
    const bin = join(REPO, 'bin/eks-oidc-audit.js');
    wallMs([bin, '--help']); // fills Node's compile cache, as any earlier run has
    const help: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < runs; i++) {
      help.push(wallMs(['--max-semi-space-size=16', bin, '--help']));
      baseline.push(wallMs(['-e', '0']));
    }
    const heaviestInHandler = [...weights]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([name, bytes]) => ({ name, bytes }));
    return {
      handlerBytes,
      chunkBytes,
      heaviestInHandler,
      moduleInitMs: stats(init),
      cliHelpMs: stats(help),
      nodeBaselineMs: stats(baseline),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function formatColdStart(figures: ColdStartFigures): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  const ms = (s: { median: number; min: number; runs: number }) =>
    `${s.median} ms median, ${s.min} ms fastest of ${s.runs}`;
  return [
    `handler      ${kb(figures.handlerBytes)} loaded at a cold start (the handler and the chunks it imports); ${kb(figures.chunkBytes)} in chunks loaded when a run needs them`,
    ...figures.heaviestInHandler.map(({ name, bytes }) => `  ${kb(bytes).padStart(7)}  ${name}`),
    `module init  ${ms(figures.moduleInitMs)} (importing the handler in a fresh process)`,
    `CLI --help   ${ms(figures.cliHelpMs)} wall; node -e 0 takes ${ms(figures.nodeBaselineMs)}`,
  ].join('\n');
}
