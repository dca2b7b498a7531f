// npm run bench -- --accounts 1000 --regions 17 --clusters 2 --latency-ms 30 [--concurrency N] [--json]
//
// Audits a generated organization on the local sandbox and prints what it cost: wall time, the calls the
// sandbox saw per service and operation, the minimum calls that world needs (computed from the world, not
// from the log), the latency bound (calls × latency / concurrency), wall / bound, and the auditor's peak RSS.
//
// Two processes: this one generates the world and serves it (sandbox + issuer TLS hosts); the auditor runs in
// a child (scripts/bench-auditor.ts: the CLI, `eks-oidc-audit --accounts org --format table --output FILE`,
// with the real SDK clients through the sandbox's environment), so the peak RSS reported is the auditor's own
// and not the sandbox's, and each side has a core of its own on a two-core host.
// A script that prints figures, not a test: nothing here passes or fails on a threshold.

import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULTS } from '../src/config/schema.ts';
import { NODE_START_FLAGS } from '../src/runtime/heap.ts';
import { generateWorld } from '../test/sandbox/generate.ts';
import { defaultRegions } from '../test/sandbox/regions.ts';
import { startSandbox } from '../test/sandbox/server.ts';
import type { World } from '../test/sandbox/world.ts';
import type { AuditorResult } from './bench-auditor.ts';

const USAGE = `usage: npm run bench -- [--accounts N] [--regions R] [--clusters C] [--latency-ms MS]
                        [--concurrency N] [--cpu-prof DIR] [--json]
  --accounts N      accounts in the organization, the caller included (default 100)
  --regions R       enabled regions per account, the first R of the 17 default ones (default 17)
  --clusters C      clusters per account and region (default 2)
  --latency-ms MS   latency the sandbox adds to every AWS call (default 30)
  --concurrency N   passed to the auditor as --concurrency (default: the auditor's own, ${DEFAULTS.concurrency})
  --cpu-prof DIR    write a V8 CPU profile of the auditor process into DIR
  --json            one JSON object on stdout instead of the text summary
The auditor process starts with the CLI's Node flags (src/runtime/heap.ts); BENCH_NODE_ARGS adds more, for
experiments: BENCH_NODE_ARGS='--max-semi-space-size=64' npm run bench
`;

interface BenchOptions {
  accounts: number;
  regions: number;
  clusters: number;
  latencyMs: number;
  concurrency: number | undefined;
  cpuProf: string | undefined;
  json: boolean;
}

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      accounts: { type: 'string', default: '100' },
      regions: { type: 'string', default: '17' },
      clusters: { type: 'string', default: '2' },
      'latency-ms': { type: 'string', default: '30' },
      concurrency: { type: 'string' },
      'cpu-prof': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const int = (name: string, raw: string, min: number, max: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      process.stderr.write(`bench: --${name} expects an integer from ${min} to ${max}\n${USAGE}`);
      process.exit(1);
    }
    return n;
  };
  return {
    accounts: int('accounts', values.accounts, 1, 100_000),
    regions: int('regions', values.regions, 1, defaultRegions('aws').length),
    clusters: int('clusters', values.clusters, 0, 1000),
    latencyMs: int('latency-ms', values['latency-ms'], 0, 10_000),
    concurrency:
      values.concurrency === undefined ? undefined : int('concurrency', values.concurrency, 1, 256),
    cpuProf: values['cpu-prof'],
    json: values.json,
  };
}

/**
 * The fewest calls that audit `--accounts org --regions all` of this world can make, from the world alone:
 * one identity call, the organization's account pages (20 a page), one AssumeRole per member account, then per
 * account its region list (50 a page), one provider list, one Get per provider, role pages of 1000 (the
 * assumable audit role is listed too), and per enabled region cluster pages of 100 and one Describe per cluster.
 */
function minimumCalls(world: World): Record<string, number> {
  const calls: Record<string, number> = {};
  const add = (key: string, n: number) => {
    calls[key] = (calls[key] ?? 0) + n;
  };
  const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));
  const caller = world.accounts.find((a) => a.caller);
  const active = world.accounts.filter((a) => a.status === 'ACTIVE');
  add('sts:GetCallerIdentity', 1);
  if (world.organization) {
    add('organizations:ListAccounts', pages(world.accounts.length, 20));
    // The OU walk: the root, then each OU's child OUs and accounts (20 a page, as Organizations pages them).
    const ous = new Set(
      world.accounts.flatMap((a) => {
        const parts = (a.ou ?? '/').split('/').filter(Boolean);
        return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
      }),
    );
    const children = (parent: string) =>
      [...ous].filter((ou) => ou.slice(0, ou.lastIndexOf('/') || 1) === parent).length;
    add('organizations:ListRoots', 1);
    add('organizations:ListOrganizationalUnitsForParent', pages(children('/'), 20));
    for (const ou of ous) {
      add('organizations:ListOrganizationalUnitsForParent', pages(children(ou), 20));
      add('organizations:ListAccountsForParent', pages(world.accounts.filter((a) => a.ou === ou).length, 20));
    }
  }
  add('sts:AssumeRole', active.filter((a) => a !== caller).length);
  for (const account of active) {
    const regions = account.regions ?? defaultRegions(world.partition);
    add('account:ListRegions', pages(regions.length, 50));
    add('iam:ListOpenIDConnectProviders', 1);
    add('iam:GetOpenIDConnectProvider', account.oidcProviders.length);
    const declared = new Set(account.roles.map((r) => r.name.toLowerCase()));
    const auditRoles = account.assumableRoles.filter((name) => !declared.has(name.toLowerCase())).length;
    add('iam:ListRoles', pages(account.roles.length + auditRoles, 1000));
    for (const region of regions) {
      const clusters = account.clusters.filter((c) => c.region === region).length;
      add('eks:ListClusters', pages(clusters, 100));
      add('eks:DescribeCluster', clusters);
      // EKS Pod Identity: each cluster's associations, and the agent add-on where there are any.
      for (const cluster of account.clusters.filter((c) => c.region === region)) {
        const associations = cluster.podIdentityAssociations.length;
        add('eks:ListPodIdentityAssociations', pages(associations, 100));
        add('eks:DescribePodIdentityAssociation', associations);
        if (associations === 0) continue;
        add('eks:ListAddons', pages(cluster.addons.length, 100));
        if (cluster.addons.some((addon) => addon.name === 'eks-pod-identity-agent'))
          add('eks:DescribeAddon', 1);
      }
    }
  }
  return Object.fromEntries(Object.entries(calls).sort(([a], [b]) => a.localeCompare(b)));
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const MiB = 1024 * 1024;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const note = (line: string) => {
    if (!options.json) process.stderr.write(`${line}\n`);
  };
  const world = generateWorld({
    accounts: options.accounts,
    regions: options.regions,
    clustersPerRegion: options.clusters,
    faults: { latencyMs: options.latencyMs },
  });
  const sandbox = await startSandbox(world, { logEntries: false });
  const minimum = minimumCalls(sandbox.world);
  const work = await mkdtemp(join(tmpdir(), 'eks-oidc-bench-'));
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  note(
    `bench: ${options.accounts} accounts × ${options.regions} regions × ${options.clusters} clusters, ` +
      `${options.latencyMs} ms a call, concurrency ${concurrency}; minimum ${sum(minimum)} calls`,
  );

  const started = performance.now();
  const ticker = setInterval(() => {
    const at = ((performance.now() - started) / 1000).toFixed(0);
    note(`  ${at} s: ${sandbox.log.calls()} calls, ${sandbox.log.inFlight} in flight`);
  }, 10_000);
  const child = fork(
    fileURLToPath(new URL('./bench-auditor.ts', import.meta.url)),
    [
      '--accounts',
      'org',
      '--regions',
      'all',
      '--format',
      'table',
      '--output',
      join(work, 'report.json'),
      ...(options.concurrency === undefined ? [] : ['--concurrency', String(options.concurrency)]),
    ],
    {
      env: { ...process.env, ...sandbox.env },
      // The flags the CLI's bin starts with, so the RSS measured is the shipped CLI's.
      execArgv: [
        ...NODE_START_FLAGS,
        ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        ...(options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProf] : []),
      ],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let result: AuditorResult | undefined;
  child.on('message', (message) => {
    result = message as AuditorResult;
  });
  const exitCode = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  const wallMs = performance.now() - started;
  clearInterval(ticker);
  const calls = sandbox.log.byOperation();
  const maxInFlight = sandbox.log.maxInFlight;
  const errorResponses = sandbox.log.errors();
  await Promise.all([sandbox.stop(), rm(work, { recursive: true, force: true })]);
  if (exitCode !== 0 || !result || result.exitCode !== 0) {
    process.stderr.write(`bench: the auditor exited with ${result?.exitCode ?? exitCode}\n${stderr}\n`);
    process.exitCode = 1;
    return;
  }

  const { summary } = result;
  const totalCalls = sum(calls);
  const minimumTotal = sum(minimum);
  const boundMs = (totalCalls * options.latencyMs) / concurrency;
  const ratio = (ms: number) => (boundMs > 0 ? Number((ms / boundMs).toFixed(3)) : null);
  const operations = [...new Set([...Object.keys(calls), ...Object.keys(minimum)])].sort();
  const stages = Object.fromEntries(
    Object.entries(result.stages).map(([stage, span]) => [
      stage,
      { firstMs: Math.round(span.firstMs), lastMs: Math.round(span.lastMs) },
    ]),
  );
  const figures = {
    world: {
      accounts: options.accounts,
      regions: options.regions,
      clustersPerRegion: options.clusters,
      latencyMs: options.latencyMs,
    },
    concurrency,
    wallMs: Math.round(wallMs),
    auditMs: Math.round(result.auditMs),
    stages,
    calls: { total: totalCalls, byOperation: calls },
    minimumCalls: { total: minimumTotal, byOperation: minimum },
    extraCalls: totalCalls - minimumTotal,
    errorResponses,
    latencyBoundMs: Math.round(boundMs),
    wallOverBound: ratio(wallMs),
    auditOverBound: ratio(result.auditMs),
    // Requests the sandbox held at once; the bound assumes `concurrency` all the time.
    inFlight: {
      max: maxInFlight,
      mean:
        result.auditMs > 0 ? Number(((totalCalls * options.latencyMs) / result.auditMs).toFixed(1)) : null,
    },
    auditor: {
      peakRssMiB: Number((result.maxRssBytes / MiB).toFixed(1)),
      peakHeapUsedMiB: Number((result.maxHeapUsedBytes / MiB).toFixed(1)),
      peakExternalMiB: Number((result.maxExternalBytes / MiB).toFixed(1)),
      memoryAt: Object.fromEntries(
        Object.entries(result.memoryAt).map(([at, m]) => [
          at,
          { rssMiB: Math.round(m.rssBytes / MiB), heapUsedMiB: Math.round(m.heapUsedBytes / MiB) },
        ]),
      ),
      cpuMs: Math.round(result.cpuMs),
      reportMiB: Number((result.reportBytes / MiB).toFixed(1)),
    },
    report: summary,
    node: process.version,
    cores: availableParallelism(),
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  const pad = (text: string | number, width: number) => String(text).padStart(width);
  const lines = [
    `world        ${options.accounts} accounts × ${options.regions} regions × ${options.clusters} clusters, ${options.latencyMs} ms per call, concurrency ${concurrency}`,
    `report       ${summary.clusters} clusters, ${summary.providers} providers, ${summary.roles} roles, ${summary.errors} errors (${figures.auditor.reportMiB} MiB of JSON)`,
    `wall         ${seconds(wallMs)} (the CLI ${seconds(result.auditMs)}; the rest is process start)`,
    ...Object.entries(stages).map(
      ([stage, span]) =>
        `  ${stage.padEnd(10)} progress from ${seconds(span.firstMs)} to ${seconds(span.lastMs)}`,
    ),
    `calls        ${totalCalls} (minimum ${minimumTotal}, extra ${totalCalls - minimumTotal}; ${errorResponses} error responses)`,
    ...operations.map(
      (op) => `  ${op.padEnd(34)} ${pad(calls[op] ?? 0, 7)}   minimum ${pad(minimum[op] ?? 0, 7)}`,
    ),
    `bound        ${seconds(boundMs)} = ${totalCalls} calls × ${options.latencyMs} ms / ${concurrency}`,
    `wall/bound   ${figures.wallOverBound ?? '-'} (CLI/bound ${figures.auditOverBound ?? '-'})`,
    `in flight    mean ${figures.inFlight.mean ?? '-'}, max ${maxInFlight}`,
    `peak RSS     ${figures.auditor.peakRssMiB} MiB (the auditor process alone; CPU ${seconds(figures.auditor.cpuMs)})`,
    `  heap       peak ${figures.auditor.peakHeapUsedMiB} MiB used, ${figures.auditor.peakExternalMiB} MiB off-heap; RSS/heap at ${Object.entries(
      figures.auditor.memoryAt,
    )
      .map(([at, m]) => `${at} ${m.rssMiB}/${m.heapUsedMiB}`)
      .join(', ')} MiB`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
