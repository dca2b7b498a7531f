// startSandbox: the loopback AWS endpoint plus the issuer TLS servers, for real SDK clients pointed at it
// through AWS_ENDPOINT_URL. Everything a test needs to drive and observe it hangs off the returned object.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { type DispatchEnv, dispatch } from './dispatch.ts';
import { FaultInjector } from './faults.ts';
import { longTermKeyId, longTermSecret } from './ids.ts';
import { issuerHostSpecs, thumbprintResolver } from './issuer-hosts.ts';
import { type IssuerServers, startIssuerServers } from './issuers.ts';
import { type KubernetesApi, startKubernetesApi } from './kubernetes/server.ts';
import { RequestLog } from './log.ts';
import { globalRegion } from './regions.ts';
import { type Item, tableItems } from './services/dynamodb.ts';
import { type StoredObject, s3Keys, s3Object, s3OpenUploads } from './services/s3.ts';
import { securityHubFindings } from './services/securityhub.ts';
import { findRole, issueRoleSession } from './services/sts.ts';
import type { Published } from './services/types.ts';
import { buildState, clusterIssuerUrl, resolveThumbprints } from './state.ts';
import { parseWorld, type World, type WorldInput } from './world.ts';

const gunzipAsync = promisify(gunzip);
// S3 parts of a streamed upload are 5 to 8 MiB; a single PutObject up to this.
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface SandboxOptions {
  /** Port for the AWS endpoint; 0 (default) picks a free one. */
  port?: number;
  /** Start the issuer TLS servers (default true). Without them symbolic thumbprints get placeholder values. */
  issuers?: boolean;
  /** Keep a full entry per request in `log.entries` (default true); counters are always kept. */
  logEntries?: boolean;
  /** Names the world in validation errors (a file path, say). */
  source?: string;
  /**
   * Serve the clusters' Kubernetes APIs (test/sandbox/kubernetes); default: when a world cluster has a
   * `kubernetes` block. Each cluster then gets a --connect-to mapping in `env` and `connectTo`.
   */
  kubernetes?: boolean;
}

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials only (a role session). */
  sessionToken?: string;
}

export interface Sandbox {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  /**
   * Environment for a process that should talk to the sandbox: AWS_ENDPOINT_URL, the caller's keys,
   * AWS_REGION, AUDIT_CONNECT_TO and NODE_EXTRA_CA_CERTS (a temp PEM file of trustedCaPem).
   */
  env: Record<string, string>;
  world: World;
  /** The caller account's id and region (the identity `env` carries). */
  caller: { accountId: string; region: string };
  log: RequestLog;
  published: Published;
  /** Change latency, throttling, 5xx and access denial while running. */
  faults: FaultInjector;
  /** What the world's DynamoDB tables hold now (account default: the table's owner). */
  dynamodb: { items(table: string, accountId?: string, region?: string): Item[] };
  /** The findings of an account's Security Hub in a region (default: the caller's, us-east-1). */
  securityhub: { findings(accountId?: string, region?: string): ReturnType<typeof securityHubFindings> };
  /** What the world's S3 buckets hold now, and how many multipart uploads are still open. */
  s3: {
    object(bucket: string, key: string): StoredObject | undefined;
    keys(bucket: string): string[];
    openUploads(): number;
  };
  issuers: IssuerServers | null;
  /** The clusters' Kubernetes APIs, when served. */
  kubernetes: KubernetesApi | null;
  connectTo: string[];
  trustedCaPem: string;
  /** Long-term keys of any world account (the caller's are in `env`). */
  credentials(accountId?: string): StaticCredentials;
  /**
   * Temporary keys of a session of the role `roleName` of an account (declared in its `roles`, or one of its
   * `assumableRoles`), as Lambda hands its execution role's to a function: the caller of what it signs is that
   * role, with the role's `permissions` as its identity policy.
   */
  roleCredentials(accountId: string, roleName: string, sessionName?: string): StaticCredentials;
  /** SDK client config for an account: endpoint, region and its long-term keys. */
  clientConfig(
    accountId?: string,
    region?: string,
  ): { endpoint: string; region: string; credentials: StaticCredentials };
  /** The issuer URL DescribeCluster reports for a world cluster (null when it has none). */
  clusterIssuer(accountId: string, region: string, name: string): string | null;
  /** Resolved thumbprints of a provider, by URL (with or without scheme). */
  providerThumbprints(accountId: string, url: string): string[];
  stop(): Promise<void>;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export async function startSandbox(
  world: WorldInput | World,
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const parsed = parseWorld(world, options.source);
  const state = buildState(parsed);
  const log = new RequestLog(options.logEntries ?? true);
  const published: Published = { sns: [], metrics: [] };
  const faults = new FaultInjector(parsed.faults);
  const env: DispatchEnv = { state, faults, log, published };

  const specs = options.issuers === false ? [] : issuerHostSpecs(state);
  const issuers = specs.length > 0 ? await startIssuerServers(specs) : null;
  resolveThumbprints(state, thumbprintResolver(issuers));
  const servesKubernetes =
    options.kubernetes ?? parsed.accounts.some((account) => account.clusters.some((c) => c.kubernetes));
  const kubernetes = servesKubernetes
    ? await startKubernetesApi(state, (region) => faults.latency('eks', region))
    : null;

  const pending = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => handle(req, res));
  // Longer than any client's idle keep-alive, so a reused socket is never closed under a request.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 130_000;

  function handle(req: IncomingMessage, res: ServerResponse): void {
    log.begin();
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (entry: Parameters<RequestLog['record']>[0]) => {
      if (settled) return;
      settled = true;
      log.record(entry);
    };
    res.on('close', () =>
      settle({
        service: '(aborted)',
        operation: '(aborted)',
        account: undefined,
        region: undefined,
        status: 0,
        error: 'ClientClosed',
      }),
    );
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
        res.end('request body too large');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      void respond(req, res, Buffer.concat(chunks), settle);
    });
  }

  async function respond(
    req: IncomingMessage,
    res: ServerResponse,
    raw: Buffer,
    settle: (entry: Parameters<RequestLog['record']>[0]) => void,
  ): Promise<void> {
    const gzip = (header(req, 'content-encoding') ?? '').includes('gzip');
    let body = raw;
    if (gzip) {
      try {
        body = await gunzipAsync(raw);
      } catch {
        body = Buffer.alloc(0);
      }
    }
    const outcome = dispatch(env, {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: body.toString('utf8'),
      raw: body,
      bytes: body.length,
      gzip,
    });
    // A hanging endpoint keeps the request open until the client gives up (logged then as ClientClosed).
    if (outcome.hang) return;
    if (outcome.heldUntil) await outcome.heldUntil;
    const send = () => {
      if (!res.destroyed) {
        const { status, headers, body: text } = outcome.reply;
        res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      }
      settle({
        service: outcome.service,
        operation: outcome.operation,
        account: outcome.account,
        region: outcome.region,
        status: outcome.reply.status,
        error: outcome.error,
        ...(outcome.detail ? { detail: outcome.detail } : {}),
      });
    };
    if (outcome.latencyMs <= 0) {
      send();
      return;
    }
    const timer = setTimeout(() => {
      pending.delete(timer);
      send();
    }, outcome.latencyMs);
    pending.add(timer);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;

  const tempDir = await mkdtemp(join(tmpdir(), 'eks-oidc-sandbox-'));
  const trustedCaPem = issuers?.trustedCaPem ?? '';
  const caFile = join(tempDir, 'trusted-ca.pem');
  await writeFile(caFile, trustedCaPem);

  const callerId = state.caller.id;
  const home = globalRegion(parsed.partition);
  const callerRegion = state.caller.enabledRegions.has(home)
    ? home
    : ([...state.caller.enabledRegions][0] ?? home);
  const connectTo = [...(issuers?.connectTo ?? []), ...(kubernetes?.connectTo ?? [])];

  const credentials = (accountId = callerId): StaticCredentials => {
    if (!state.accounts.has(accountId)) throw new Error(`no account ${accountId} in the world`);
    return { accessKeyId: longTermKeyId(accountId), secretAccessKey: longTermSecret(accountId) };
  };

  const roleCredentials = (accountId: string, roleName: string, sessionName = 'sandbox-session') => {
    const account = state.accounts.get(accountId);
    if (!account) throw new Error(`no account ${accountId} in the world`);
    const role = findRole(account, roleName);
    if (!role) throw new Error(`no role ${roleName} in account ${accountId}`);
    const session = issueRoleSession(state, account, role, sessionName, 43_200);
    return {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
    };
  };

  let stopped = false;
  return {
    endpoint,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: longTermKeyId(callerId),
      AWS_SECRET_ACCESS_KEY: longTermSecret(callerId),
      AWS_REGION: callerRegion,
      AWS_EC2_METADATA_DISABLED: 'true',
      AUDIT_CONNECT_TO: connectTo.join(','),
      NODE_EXTRA_CA_CERTS: caFile,
    },
    world: parsed,
    caller: { accountId: callerId, region: callerRegion },
    log,
    published,
    faults,
    dynamodb: { items: (table, accountId, region) => tableItems(state, table, accountId, region) },
    securityhub: {
      findings: (accountId, region) =>
        securityHubFindings(state, accountId ?? state.caller.id, region ?? 'us-east-1'),
    },
    s3: {
      object: (bucket, key) => s3Object(state, bucket, key),
      keys: (bucket) => s3Keys(state, bucket),
      openUploads: () => s3OpenUploads(state),
    },
    issuers,
    kubernetes,
    connectTo,
    trustedCaPem,
    credentials,
    roleCredentials,
    clientConfig: (accountId = callerId, region = callerRegion) => ({
      endpoint,
      region,
      credentials: credentials(accountId),
    }),
    clusterIssuer(accountId, region, name) {
      const cluster = state.accounts.get(accountId)?.clusterByKey.get(`${region}/${name}`);
      if (!cluster) throw new Error(`no cluster ${accountId}/${region}/${name} in the world`);
      return cluster.issuerId === null ? null : clusterIssuerUrl(state.partition, region, cluster.issuerId);
    },
    providerThumbprints(accountId, url) {
      const bare = url.replace(/^https:\/\//i, '');
      const provider = state.accounts.get(accountId)?.providers.find((p) => p.url === bare);
      if (!provider) throw new Error(`no provider ${bare} in account ${accountId}`);
      return [...provider.thumbprints];
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      faults.releaseAll();
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([
        closed,
        issuers?.stop(),
        kubernetes?.stop(),
        rm(tempDir, { recursive: true, force: true }),
      ]);
    },
  };
}
