// npm run bench -- --accounts 1000 --regions 17 --clusters 2 --latency-ms 100 [--concurrency N] [--json]
// npm run bench -- --cold-start
//
// Audits a generated organization on the local sandbox and prints what it cost: wall time, the calls the
// sandbox saw per service and operation, the minimum calls that world needs (computed from the world, not
// from the log), throttled calls, the bound (the slower of the socket bound and the per-account rate limits,
// docs/performance.md), wall / bound, the auditor's CPU per call and peak RSS. The sandbox answers with AWS's
// request-rate model (test/sandbox/rate-limits.ts) unless --throttle off.
//
// Two processes: this one generates the world and serves it (sandbox + issuer TLS hosts); the auditor runs in
// a child (scripts/bench-auditor.ts: the CLI, `eks-oidc-audit --accounts org --format table --output FILE`,
// with the real SDK clients through the sandbox's environment), so the peak RSS reported is the auditor's own
// and not the sandbox's, and each side has a core of its own on a two-core host.
// A script that prints figures, not a test: nothing here passes or fails on a threshold.

import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LANE_CONCURRENCY, type LaneService } from '../src/clients/limit.ts';
import { DEFAULTS } from '../src/config/schema.ts';
import { generateWorld } from '../test/sandbox/generate.ts';
import { AWS_RATE_LIMITS } from '../test/sandbox/rate-limits.ts';
import { regionRttMs } from '../test/sandbox/region-latency.ts';
import { defaultRegions } from '../test/sandbox/regions.ts';
import { startSandbox } from '../test/sandbox/server.ts';
import { SERVICE_NAMES, type ServiceName, type World } from '../test/sandbox/world.ts';
import { runAuditor } from './bench-child.ts';
import { formatColdStart, measureColdStart } from './bench-cold-start.ts';
import { runFanOutBench } from './bench-fan-out.ts';
import { formatMatching, measureMatching } from './bench-matching.ts';

const USAGE = `usage: npm run bench -- [--accounts N] [--regions R] [--clusters C] [--latency-ms MS | SERVICE=MS,...]
                        [--latency-from REGION] [--throttle aws|off] [--concurrency N] [--cpu-prof DIR] [--json]
                        [--kubernetes [--service-accounts N]] [--memory-trace FILE]
       npm run bench -- --cold-start [--runs N] [--json]
       npm run bench -- --matching [--runs N] [--json]
       npm run bench -- --fan-out [--accounts N] [--shards S] [--replicate] [--regions R] [--clusters C] [--json]
  --accounts N      accounts in the organization, the caller included (default 100)
  --regions R       enabled regions per account, the first R of the 17 default ones (default 17)
  --clusters C      clusters per account and region (default 2)
  --latency-ms MS   latency the sandbox adds to every AWS call (default 100), or per service: iam=120,eks=80
                    (a service not named takes none)
  --latency-from R  the auditor runs in region R: each call also takes the round trip from R to the region it
                    is signed for (test/sandbox/region-latency.ts); R must be one of the world's regions
  --throttle MODEL  aws: the sandbox throttles each account over AWS's request rates (test/sandbox/rate-limits.ts);
                    off: never (default aws)
  --kubernetes      also read every cluster's Kubernetes API (auditor --kubernetes): each cluster serves one
                    annotated service account and its pod, answering after the EKS latency
  --service-accounts N  with --kubernetes: N unannotated service accounts more in each cluster's kube-system, as
                    a real cluster's add-ons and controllers hold dozens (default 0)
  --concurrency N   passed to the auditor as --concurrency (default: the auditor's own, ${DEFAULTS.concurrency})
  --cpu-prof DIR    write a V8 CPU profile of the auditor process into DIR
  --memory-trace F  append to F, once a second, the auditor's RSS, V8 heap (committed, used), external memory,
                    and its resident C heap, other anonymous memory and files (scripts/memory-trace.ts, Linux)
  --cold-start      measure the Lambda handler's size and module init and the CLI's --help instead
  --matching        time the wildcard matcher's hottest paths in this process instead: the trust corpus analysed,
                    and the accepted risks' hostile file of docs/performance.md
  --runs N          fresh processes per cold-start figure, runs per matching figure (default 10)
  --fan-out         audit the organization as --shards runs in sequence, then time the merge step
  --shards S        shards of --fan-out (default 20)
  --replicate       audit one shard and copy its part for the others (renamed accounts and issuers)
  --parts-dir DIR   keep the parts in DIR, or merge the ones already there without auditing
  --json            one JSON object on stdout instead of the text summary
The auditor process starts with the CLI's Node flags (src/runtime/heap.ts); BENCH_NODE_ARGS adds more, for
experiments: BENCH_NODE_ARGS='--max-semi-space-size=64' npm run bench
`;

type Latency = number | Partial<Record<ServiceName, number>>;

interface BenchOptions {
  accounts: number;
  regions: number;
  clusters: number;
  latencyMs: Latency;
  latencyFrom: string | undefined;
  throttle: boolean;
  concurrency: number | undefined;
  cpuProf: string | undefined;
  memoryTrace: string | undefined;
  coldStart: boolean;
  matching: boolean;
  runs: number;
  fanOut: boolean;
  shards: number;
  replicate: boolean;
  partsDir: string | undefined;
  json: boolean;
  kubernetes: boolean;
  serviceAccounts: number;
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n${USAGE}`);
  process.exit(1);
}

/** `100`, or `iam=120,eks=80`. */
function parseLatency(raw: string): Latency {
  if (/^\d+$/.test(raw)) return Number(raw);
  const latency: Partial<Record<ServiceName, number>> = {};
  for (const part of raw.split(',')) {
    const [service, ms] = part.split('=');
    if (!SERVICE_NAMES.includes(service as ServiceName) || !ms || !/^\d+$/.test(ms))
      fail(
        `--latency-ms expects milliseconds or SERVICE=MS pairs (services: ${SERVICE_NAMES.join(', ')}), got ${part}`,
      );
    latency[service as ServiceName] = Number(ms);
  }
  return latency;
}

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      accounts: { type: 'string', default: '100' },
      regions: { type: 'string', default: '17' },
      clusters: { type: 'string', default: '2' },
      'latency-ms': { type: 'string', default: '100' },
      'latency-from': { type: 'string' },
      throttle: { type: 'string', default: 'aws' },
      concurrency: { type: 'string' },
      'cpu-prof': { type: 'string' },
      'memory-trace': { type: 'string' },
      'cold-start': { type: 'boolean', default: false },
      matching: { type: 'boolean', default: false },
      'fan-out': { type: 'boolean', default: false },
      shards: { type: 'string', default: '20' },
      replicate: { type: 'boolean', default: false },
      'parts-dir': { type: 'string' },
      runs: { type: 'string', default: '10' },
      json: { type: 'boolean', default: false },
      kubernetes: { type: 'boolean', default: false },
      'service-accounts': { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const int = (name: string, raw: string, min: number, max: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      fail(`--${name} expects an integer from ${min} to ${max}`);
    return n;
  };
  const regions = int('regions', values.regions, 1, defaultRegions('aws').length);
  const latencyFrom = values['latency-from'];
  if (latencyFrom !== undefined && !defaultRegions('aws').slice(0, regions).includes(latencyFrom))
    fail(
      `--latency-from expects one of the world's regions (${defaultRegions('aws').slice(0, regions).join(', ')})`,
    );
  if (values.throttle !== 'aws' && values.throttle !== 'off') fail('--throttle expects aws or off');
  const serviceAccounts = int('service-accounts', values['service-accounts'], 0, 10_000);
  if (serviceAccounts > 0 && !values.kubernetes) fail('--service-accounts needs --kubernetes');
  return {
    accounts: int('accounts', values.accounts, 1, 100_000),
    regions,
    clusters: int('clusters', values.clusters, 0, 1000),
    latencyMs: parseLatency(values['latency-ms']),
    latencyFrom,
    throttle: values.throttle === 'aws',
    coldStart: values['cold-start'],
    matching: values.matching,
    fanOut: values['fan-out'],
    shards: int('shards', values.shards, 1, 1000),
    replicate: values.replicate,
    partsDir: values['parts-dir'],
    runs: int('runs', values.runs, 1, 100),
    concurrency:
      values.concurrency === undefined ? undefined : int('concurrency', values.concurrency, 1, 256),
    cpuProf: values['cpu-prof'],
    memoryTrace: values['memory-trace'],
    json: values.json,
    kubernetes: values.kubernetes,
    serviceAccounts,
  };
}

/** What a call is made to: an AWS service, or (--kubernetes) a cluster's Kubernetes API. */
type Service = ServiceName | 'kubernetes';

/** Calls of one operation by one account, signed for one region. */
interface Calls {
  account: string;
  service: Service;
  region: string;
  operation: string;
  count: number;
}

/**
 * The fewest calls that audit `--accounts org --regions all` of this world can make, from the world alone:
 * one identity call, the organization's account pages (20 a page), one AssumeRole per member account, then per
 * account its region list (50 a page), one provider list, one Get per provider, role pages of 1000 (the
 * assumable audit role is listed too), and per enabled region cluster pages of 100 and one Describe per cluster.
 * Each with the account it counts against and the region it is signed for (global services: us-east-1; STS:
 * the auditor's region).
 */
function minimumCalls(world: World, homeRegion: string): Calls[] {
  const calls: Calls[] = [];
  const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));
  const caller = world.accounts.find((a) => a.caller);
  if (!caller) throw new Error('the generated world has no caller');
  const global = 'us-east-1';
  const add = (account: string, service: Service, region: string, operation: string, count: number) => {
    if (count > 0) calls.push({ account, service, region, operation, count });
  };
  const active = world.accounts.filter((a) => a.status === 'ACTIVE');
  add(caller.id, 'sts', homeRegion, 'GetCallerIdentity', 1);
  if (world.organization) {
    add(caller.id, 'organizations', global, 'ListAccounts', pages(world.accounts.length, 20));
    // The OU walk: the root, then each OU's child OUs and accounts (20 a page, as Organizations pages them).
    const ous = new Set(
      world.accounts.flatMap((a) => {
        const parts = (a.ou ?? '/').split('/').filter(Boolean);
        return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
      }),
    );
    const children = (parent: string) =>
      [...ous].filter((ou) => ou.slice(0, ou.lastIndexOf('/') || 1) === parent).length;
    add(caller.id, 'organizations', global, 'ListRoots', 1);
    let unitPages = pages(children('/'), 20);
    let accountPages = 0;
    for (const ou of ous) {
      unitPages += pages(children(ou), 20);
      accountPages += pages(world.accounts.filter((a) => a.ou === ou).length, 20);
    }
    add(caller.id, 'organizations', global, 'ListOrganizationalUnitsForParent', unitPages);
    add(caller.id, 'organizations', global, 'ListAccountsForParent', accountPages);
  }
  add(caller.id, 'sts', homeRegion, 'AssumeRole', active.filter((a) => a !== caller).length);
  for (const account of active) {
    const regions = account.regions ?? defaultRegions(world.partition);
    const declared = new Set(account.roles.map((r) => r.name.toLowerCase()));
    const auditRoles = account.assumableRoles.filter((name) => !declared.has(name.toLowerCase())).length;
    add(account.id, 'account', global, 'ListRegions', pages(regions.length, 50));
    add(account.id, 'iam', global, 'ListOpenIDConnectProviders', 1);
    add(account.id, 'iam', global, 'GetOpenIDConnectProvider', account.oidcProviders.length);
    add(account.id, 'iam', global, 'ListRoles', pages(account.roles.length + auditRoles, 1000));
    for (const region of regions) {
      const here = account.clusters.filter((c) => c.region === region);
      add(account.id, 'eks', region, 'ListClusters', pages(here.length, 100));
      add(account.id, 'eks', region, 'DescribeCluster', here.length);
      // Per cluster: EKS Pod Identity (its associations, and the agent add-on where there are any) and, with
      // --kubernetes, its Kubernetes reads.
      for (const cluster of here) {
        // --kubernetes: namespaces and service accounts (500 a page), then the running pods of each namespace
        // holding service accounts that matter (annotated, or named by an association).
        const side = cluster.kubernetes;
        if (side) {
          const namespaces = new Set([
            'default',
            'kube-system',
            ...side.namespaces,
            ...side.serviceAccounts.map((sa) => sa.namespace),
          ]);
          add(account.id, 'kubernetes', region, 'ListNamespaces', pages(namespaces.size, 500));
          add(
            account.id,
            'kubernetes',
            region,
            'ListServiceAccounts',
            pages(side.serviceAccounts.length, 500),
          );
          const named = (sa: { namespace: string; name: string }) =>
            cluster.podIdentityAssociations.some(
              (a) => a.namespace === sa.namespace && a.serviceAccount === sa.name,
            );
          const matter = side.serviceAccounts.filter(
            (sa) => sa.annotations['eks.amazonaws.com/role-arn'] !== undefined || named(sa),
          );
          add(account.id, 'kubernetes', region, 'ListPods', new Set(matter.map((sa) => sa.namespace)).size);
        }
        const associations = cluster.podIdentityAssociations.length;
        add(account.id, 'eks', region, 'ListPodIdentityAssociations', pages(associations, 100));
        add(account.id, 'eks', region, 'DescribePodIdentityAssociation', associations);
        if (associations === 0) continue;
        add(account.id, 'eks', region, 'ListAddons', pages(cluster.addons.length, 100));
        if (cluster.addons.some((addon) => addon.name === 'eks-pod-identity-agent'))
          add(account.id, 'eks', region, 'DescribeAddon', 1);
      }
    }
  }
  return calls;
}

function byOperation(calls: Calls[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) {
    const key = `${call.service}:${call.operation}`;
    counts[key] = (counts[key] ?? 0) + call.count;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * What the world's calls cannot go faster than (docs/performance.md):
 * - the socket bound: every call's latency, summed, over the calls in flight at once;
 * - the rate bound: the busiest account's bucket (per account, or account and region) at AWS's sustained rate,
 *   once its burst is spent;
 * - the lane bound, the auditor's own shape: the busiest lane's calls, `width` at a time, each its latency.
 * The bound is the slower of the first two; the third says whether the lanes cost anything on top.
 */
function bounds(
  calls: Calls[],
  latencyOf: (service: Service, region: string) => number,
  concurrency: number,
  throttle: boolean,
) {
  let latencySum = 0;
  const rateBuckets = new Map<string, { count: number; service: Service; label: string }>();
  const lanes = new Map<string, { count: number; latency: number; width: number; label: string }>();
  for (const call of calls) {
    const latency = latencyOf(call.service, call.region);
    latencySum += call.count * latency;
    const limit = call.service === 'kubernetes' ? undefined : AWS_RATE_LIMITS[call.service];
    if (limit) {
      const key =
        limit.scope === 'account'
          ? `${call.service} ${call.account}`
          : `${call.service} ${call.account} ${call.region}`;
      const bucket = rateBuckets.get(key) ?? { count: 0, service: call.service, label: key };
      bucket.count += call.count;
      rateBuckets.set(key, bucket);
    }
    const laneKey = ['iam', 'organizations', 'account'].includes(call.service)
      ? `${call.service} ${call.account}`
      : `${call.service} ${call.account} ${call.region}`;
    const width = LANE_CONCURRENCY[call.service as LaneService] ?? concurrency;
    const lane = lanes.get(laneKey) ?? { count: 0, latency, width, label: laneKey };
    lane.count += call.count;
    lanes.set(laneKey, lane);
  }
  let rate = { ms: 0, label: '-' };
  if (throttle)
    for (const bucket of rateBuckets.values()) {
      const limit = bucket.service === 'kubernetes' ? undefined : AWS_RATE_LIMITS[bucket.service];
      if (!limit) continue;
      const ms = (Math.max(0, bucket.count - limit.burst) / limit.perSecond) * 1000;
      if (ms > rate.ms)
        rate = {
          ms,
          label: `${bucket.label}: ${bucket.count} calls at ${limit.perSecond}/s after a burst of ${limit.burst}`,
        };
    }
  let lane = { ms: 0, label: '-' };
  for (const l of lanes.values()) {
    const ms = Math.ceil(l.count / l.width) * l.latency;
    if (ms > lane.ms) lane = { ms, label: `${l.label}: ${l.count} calls, ${l.width} at a time` };
  }
  const socketMs = latencySum / concurrency;
  return { socketMs, latencySum, rate, lane, boundMs: Math.max(socketMs, rate.ms) };
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const MiB = 1024 * 1024;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.coldStart) {
    const figures = await measureColdStart(options.runs);
    process.stdout.write(options.json ? `${JSON.stringify(figures)}\n` : `${formatColdStart(figures)}\n`);
    return;
  }
  if (options.matching) {
    const figures = measureMatching(options.runs);
    process.stdout.write(options.json ? `${JSON.stringify(figures)}\n` : `${formatMatching(figures)}\n`);
    return;
  }
  if (options.fanOut) {
    if (typeof options.latencyMs !== 'number') fail('--fan-out takes one --latency-ms for every service');
    await runFanOutBench({ ...options, latencyMs: options.latencyMs });
    return;
  }
  const note = (line: string) => {
    if (!options.json) process.stderr.write(`${line}\n`);
  };
  const world = generateWorld({
    accounts: options.accounts,
    regions: options.regions,
    clustersPerRegion: options.clusters,
    kubernetes: options.kubernetes,
    systemServiceAccounts: options.serviceAccounts,
    faults: {
      latencyMs: options.latencyMs,
      ...(options.latencyFrom ? { latencyFrom: options.latencyFrom } : {}),
      ...(options.throttle ? { rateLimits: 'aws' as const } : {}),
    },
  });
  const sandbox = await startSandbox(world, { logEntries: false });
  const homeRegion = options.latencyFrom ?? sandbox.caller.region;
  const calls = minimumCalls(sandbox.world, homeRegion);
  const minimum = byOperation(calls);
  const fixedLatency = (service: ServiceName) =>
    typeof options.latencyMs === 'number' ? options.latencyMs : (options.latencyMs[service] ?? 0);
  // A cluster's Kubernetes API answers after EKS's latency (test/sandbox/kubernetes/server.ts).
  const latencyOf = (service: Service, region: string) =>
    fixedLatency(service === 'kubernetes' ? 'eks' : service) +
    (options.latencyFrom ? regionRttMs(options.latencyFrom, region) : 0);
  const work = await mkdtemp(join(tmpdir(), 'eks-oidc-bench-'));
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  const bound = bounds(calls, latencyOf, concurrency, options.throttle);
  const latencyText =
    (typeof options.latencyMs === 'number'
      ? `${options.latencyMs} ms a call`
      : Object.entries(options.latencyMs)
          .map(([service, ms]) => `${service} ${ms} ms`)
          .join(', ')) + (options.latencyFrom ? ` + the round trip from ${options.latencyFrom}` : '');
  note(
    `bench: ${options.accounts} accounts × ${options.regions} regions × ${options.clusters} clusters, ` +
      `${latencyText}, throttling ${options.throttle ? 'as AWS' : 'off'}, concurrency ${concurrency}; minimum ${sum(minimum)} calls`,
  );

  const started = performance.now();
  const ticker = setInterval(() => {
    const at = ((performance.now() - started) / 1000).toFixed(0);
    note(`  ${at} s: ${sandbox.log.calls()} calls, ${sandbox.log.inFlight} in flight`);
  }, 10_000);
  const { exitCode, result, stderr } = await runAuditor(
    [
      '--accounts',
      'org',
      '--regions',
      'all',
      // JSON to stdout as to the file: --output now follows --format, and the table would clash with report.json.
      '--format',
      'json',
      '--output',
      join(work, 'report.json'),
      ...(options.concurrency === undefined ? [] : ['--concurrency', String(options.concurrency)]),
      ...(options.kubernetes ? ['--kubernetes'] : []),
    ],
    {
      ...sandbox.env,
      AWS_REGION: homeRegion,
      ...(options.memoryTrace ? { BENCH_MEMORY_TRACE: resolve(options.memoryTrace) } : {}),
    },
    options.cpuProf,
  );
  const wallMs = performance.now() - started;
  clearInterval(ticker);
  const seen = { ...sandbox.log.byOperation(), ...sandbox.kubernetes?.byOperation() };
  const maxInFlight = sandbox.log.maxInFlight;
  const errorResponses = sandbox.log.errors();
  // Each service's own throttling code (test/sandbox/errors.ts).
  const throttled = [
    'Throttling',
    'ThrottlingException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
  ].reduce((total, code) => total + sandbox.log.errors(code), 0);
  await Promise.all([sandbox.stop(), rm(work, { recursive: true, force: true })]);
  if (exitCode !== 0 || !result || result.exitCode !== 0) {
    process.stderr.write(`bench: the auditor exited with ${result?.exitCode ?? exitCode}\n${stderr}\n`);
    process.exitCode = 1;
    return;
  }

  const { summary } = result;
  if (!summary) throw new Error('the auditor wrote no report');
  const totalCalls = sum(seen);
  const minimumTotal = sum(minimum);
  const { boundMs } = bound;
  const ratio = (ms: number) => (boundMs > 0 ? Number((ms / boundMs).toFixed(3)) : null);
  const operations = [...new Set([...Object.keys(seen), ...Object.keys(minimum)])].sort();
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
      latencyFrom: options.latencyFrom ?? null,
      throttling: options.throttle ? 'aws' : 'off',
    },
    concurrency,
    wallMs: Math.round(wallMs),
    auditMs: Math.round(result.auditMs),
    stages,
    calls: { total: totalCalls, byOperation: seen },
    minimumCalls: { total: minimumTotal, byOperation: minimum },
    extraCalls: totalCalls - minimumTotal,
    errorResponses,
    throttled,
    throttledShare: totalCalls > 0 ? Number((throttled / totalCalls).toFixed(4)) : 0,
    bound: {
      ms: Math.round(boundMs),
      socketMs: Math.round(bound.socketMs),
      rateMs: Math.round(bound.rate.ms),
      busiestRateBucket: bound.rate.label,
      laneMs: Math.round(bound.lane.ms),
      busiestLane: bound.lane.label,
    },
    wallOverBound: ratio(wallMs),
    auditOverBound: ratio(result.auditMs),
    // Requests the sandbox held at once; the bound assumes `concurrency` all the time.
    inFlight: {
      max: maxInFlight,
      mean: result.auditMs > 0 ? Number((bound.latencySum / result.auditMs).toFixed(1)) : null,
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
      cpuMsPerCall: totalCalls > 0 ? Number((result.cpuMs / totalCalls).toFixed(2)) : null,
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
    `world        ${options.accounts} accounts × ${options.regions} regions × ${options.clusters} clusters${options.serviceAccounts > 0 ? ` (${options.serviceAccounts} more service accounts each)` : ''}, ${latencyText}, throttling ${options.throttle ? 'as AWS' : 'off'}, concurrency ${concurrency}`,
    `report       ${summary.clusters} clusters, ${summary.providers} providers, ${summary.roles} roles, ${summary.errors} errors (${figures.auditor.reportMiB} MiB of JSON)`,
    `wall         ${seconds(wallMs)} (the CLI ${seconds(result.auditMs)}; the rest is process start)`,
    ...Object.entries(stages).map(
      ([stage, span]) =>
        `  ${stage.padEnd(10)} progress from ${seconds(span.firstMs)} to ${seconds(span.lastMs)}`,
    ),
    `calls        ${totalCalls} (minimum ${minimumTotal}, extra ${totalCalls - minimumTotal}; ${errorResponses} error responses, ${throttled} of them throttled: ${(100 * figures.throttledShare).toFixed(2)}%)`,
    ...operations.map(
      (op) => `  ${op.padEnd(34)} ${pad(seen[op] ?? 0, 7)}   minimum ${pad(minimum[op] ?? 0, 7)}`,
    ),
    `bound        ${seconds(boundMs)}, the slower of`,
    `  sockets    ${seconds(bound.socketMs)} = ${Math.round(bound.latencySum / 1000)} s of call latency / ${concurrency} in flight`,
    `  rates      ${seconds(bound.rate.ms)} (${bound.rate.label})`,
    `  lanes      ${seconds(bound.lane.ms)} (the auditor's own, not in the bound: ${bound.lane.label})`,
    `wall/bound   ${figures.wallOverBound ?? '-'} (CLI/bound ${figures.auditOverBound ?? '-'})`,
    `in flight    mean ${figures.inFlight.mean ?? '-'}, max ${maxInFlight}`,
    `CPU          ${seconds(figures.auditor.cpuMs)}, ${figures.auditor.cpuMsPerCall ?? '-'} ms per call (the auditor process alone)`,
    `peak RSS     ${figures.auditor.peakRssMiB} MiB (the auditor process alone)`,
    `  heap       peak ${figures.auditor.peakHeapUsedMiB} MiB used, ${figures.auditor.peakExternalMiB} MiB off-heap; RSS/heap at ${Object.entries(
      figures.auditor.memoryAt,
    )
      .map(([at, m]) => `${at} ${m.rssMiB}/${m.heapUsedMiB}`)
      .join(', ')} MiB`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
