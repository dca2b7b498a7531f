// The clusters' Kubernetes APIs: one loopback HTTPS server answering for every cluster of the world by its endpoint
// host (reached through --connect-to mappings, one per cluster), with a certificate from a CA of its own that
// DescribeCluster returns as `certificateAuthority.data`. Each request is authenticated as EKS does (token.ts);
// namespaces, service accounts and pods are served from the world (derive.ts), paginated with limit/continue,
// metadata only when asked; a cluster's `mode` makes it refuse (401, 403), hang, answer 410 Gone once, or close
// kept-alive connections as they are reused.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createSecureContext, type TLSSocket } from 'node:tls';
import { createHierarchy, issueLeaf } from '../../support/pki.ts';
import { dnsSuffix } from '../regions.ts';
import type { AccountState, ClusterState, SandboxState } from '../state.ts';
import { type ServedCluster, type ServedObject, type ServedPod, servedCluster } from './derive.ts';
import { clusterEndpointHost } from './endpoint.ts';
import { podFieldSelector } from './field-selector.ts';
import { verifyToken } from './token.ts';

export interface KubernetesApi {
  /** `host:443:127.0.0.1:PORT`, one per cluster. */
  connectTo: string[];
  /** The CA DescribeCluster returns. */
  caPem: string;
  /** Requests answered for a cluster (by name), whatever the answer. */
  requests(clusterName?: string): number;
  /** TLS connections opened to a cluster (by name), and how many of them are still open. */
  connections(clusterName?: string): { opened: number; open: number };
  /** Requests by `kubernetes:<operation>` (ListNamespaces, ListServiceAccounts, ListPods, Other), as the bench counts. */
  byOperation(): Record<string, number>;
  stop(): Promise<void>;
}

interface Served {
  account: AccountState;
  cluster: ClusterState;
  requests: number;
  connections: Set<TLSSocket>;
  opened: number;
  goneSent: boolean;
  content?: ServedCluster;
}

/** `latencyMs`: what each answer of a cluster in a region waits, as EKS's answers do (the world's faults). */
export async function startKubernetesApi(
  state: SandboxState,
  latencyMs: (region: string) => number = () => 0,
): Promise<KubernetesApi> {
  const byHost = new Map<string, Served>();
  const regions = new Set<string>();
  for (const account of state.accounts.values())
    for (const [region, clusters] of account.clustersByRegion) {
      regions.add(region);
      for (const cluster of clusters)
        byHost.set(clusterEndpointHost(state.partition, account.id, region, cluster).toLowerCase(), {
          account,
          cluster,
          requests: 0,
          connections: new Set(),
          opened: 0,
          goneSent: false,
        });
    }
  const hierarchy = await createHierarchy();
  const chain = await issueLeaf(hierarchy, {
    dnsNames: [...regions].map((region) => `*.gr7.${region}.eks.${dnsSuffix(state.partition)}`),
  });
  const context = createSecureContext({ key: chain.keyPem, cert: chain.certPem });
  const server: Server = createServer({
    key: chain.keyPem,
    cert: chain.certPem,
    // A cluster in `hang` mode never finishes the handshake: what a dropped SYN costs the client is its connect
    // time-out, as here.
    SNICallback: (name, done) => {
      if (byHost.get(name.toLowerCase())?.cluster.world.kubernetes?.mode !== 'hang') done(null, context);
    },
  });
  // The API server's idle time-out (k8s.io/apiserver's secure serving: IdleTimeout 90 s), not Node's 5 s: a loaded
  // run's lanes hold a cluster's next request back for longer than that, and every connection would be a new one.
  server.keepAliveTimeout = 90_000;
  server.headersTimeout = 100_000;
  const operations = new Map<string, number>();
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    const served =
      typeof socket.servername === 'string' ? byHost.get(socket.servername.toLowerCase()) : undefined;
    if (!served) return;
    served.opened++;
    served.connections.add(socket);
    socket.on('close', () => served.connections.delete(socket));
  });
  const requestsOnSocket = new WeakMap<Socket, number>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const served = byHost.get((req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase());
    if (!served) return status(res, 404, 'no cluster at this host');
    const nth = (requestsOnSocket.get(req.socket) ?? 0) + 1;
    requestsOnSocket.set(req.socket, nth);
    if (nth > 1 && served.cluster.world.kubernetes?.mode === 'reset-reused') return void req.socket.destroy();
    served.requests++;
    const operation = `kubernetes:${operationOf(req.url ?? '/')}`;
    operations.set(operation, (operations.get(operation) ?? 0) + 1);
    const respond = () =>
      void answer(state, served, req, res).catch((error: Error) => status(res, 500, error.message));
    const delay = latencyMs(served.cluster.world.region);
    if (delay > 0) setTimeout(respond, delay);
    else respond();
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  state.kubernetesCaPem = hierarchy.root.cert.pem;
  const of = (name: string | undefined) =>
    [...byHost.values()].filter((s) => name === undefined || s.cluster.world.name === name);
  return {
    connectTo: connectToFor(state, byHost, port),
    caPem: hierarchy.root.cert.pem,
    requests: (name) => of(name).reduce((sum, s) => sum + s.requests, 0),
    connections: (name) => ({
      opened: of(name).reduce((sum, s) => sum + s.opened, 0),
      open: of(name).reduce((sum, s) => sum + s.connections.size, 0),
    }),
    byOperation: () => Object.fromEntries(operations),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function operationOf(url: string): string {
  const path = url.split('?')[0] ?? '';
  if (path === '/api/v1/namespaces') return 'ListNamespaces';
  if (path === '/api/v1/serviceaccounts') return 'ListServiceAccounts';
  return path.endsWith('/pods') ? 'ListPods' : 'Other';
}

/**
 * One wildcard mapping for every endpoint (a generated world's 34,000 clusters would not fit an environment
 * variable one by one), unless a cluster's endpoint is private only: that one is reached from inside its VPC,
 * so it gets no mapping from where the audit runs, and the others get one each.
 */
function connectToFor(state: SandboxState, byHost: ReadonlyMap<string, Served>, port: number): string[] {
  const served = [...byHost];
  const isPublic = ([, s]: [string, Served]) => s.cluster.world.kubernetes?.endpointPublicAccess !== false;
  if (served.every(isPublic)) return [`*.eks.${dnsSuffix(state.partition)}:443:127.0.0.1:${port}`];
  return served.filter(isPublic).map(([host]) => `${host}:443:127.0.0.1:${port}`);
}

async function answer(state: SandboxState, served: Served, req: IncomingMessage, res: ServerResponse) {
  const mode = served.cluster.world.kubernetes?.mode ?? 'ok';
  const verified = await verifyToken(state, req.headers.authorization, served.cluster.world.name);
  // No access entry names a principal of another account, nor any principal in mode 401.
  if (!verified.ok || mode === '401' || verified.identity.account.id !== served.account.id)
    return status(res, 401, verified.ok ? 'no access entry for this principal' : verified.reason);
  if (mode === '403') return status(res, 403, `${verified.identity.arn} cannot list here`);
  if (req.method !== 'GET') return status(res, 405, 'read only');
  const url = new URL(req.url ?? '/', 'https://kubernetes');
  served.content ??= servedCluster(state, served.cluster);
  const listed = route(served.content, url.pathname, url.searchParams.get('fieldSelector'));
  if (!listed) return status(res, 404, `no route ${url.pathname}`);
  if ('refused' in listed) return status(res, 400, listed.refused);
  const next = url.searchParams.get('continue');
  if (next && mode === '410' && !served.goneSent) {
    served.goneSent = true;
    return status(res, 410, 'The provided continue parameter is too old');
  }
  const offset = next ? offsetOf(next, url.pathname) : 0;
  if (offset === undefined) return status(res, 400, 'bad continue token');
  const limit = Number(url.searchParams.get('limit') ?? listed.items.length) || listed.items.length;
  const page = listed.items.slice(offset, offset + limit);
  const end = offset + page.length;
  const metadataOnly = (req.headers.accept ?? '').includes('as=PartialObjectMetadataList');
  json(res, 200, {
    kind: metadataOnly ? 'PartialObjectMetadataList' : listed.kind,
    apiVersion: metadataOnly ? 'meta.k8s.io/v1' : 'v1',
    metadata: {
      resourceVersion: '1',
      ...(end < listed.items.length ? { continue: tokenOf(url.pathname, end) } : {}),
    },
    items: page.map((item) => (metadataOnly ? { metadata: item.metadata } : item)),
  });
}

type Item = { metadata: Record<string, unknown> } & Record<string, unknown>;

function route(
  content: ServedCluster,
  path: string,
  fieldSelector: string | null,
): { kind: string; items: Item[] } | { refused: string } | undefined {
  if (path === '/api/v1/namespaces') return { kind: 'NamespaceList', items: content.namespaces.map(object) };
  if (path === '/api/v1/serviceaccounts')
    return { kind: 'ServiceAccountList', items: content.serviceAccounts.map(object) };
  const pods = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(path);
  if (!pods) return undefined;
  const selects = podFieldSelector(fieldSelector);
  if (typeof selects !== 'function') return selects;
  const namespace = decodeURIComponent(pods[1] ?? '');
  const matching = content.pods.filter((pod) => pod.namespace === namespace && selects(pod));
  return { kind: 'PodList', items: matching.map(podObject) };
}

function object(served: ServedObject): Item {
  return {
    metadata: {
      name: served.name,
      ...(served.namespace ? { namespace: served.namespace } : {}),
      ...(Object.keys(served.annotations).length > 0 ? { annotations: served.annotations } : {}),
    },
  };
}

function podObject(pod: ServedPod): Item {
  return {
    metadata: { name: pod.name, namespace: pod.namespace },
    spec: {
      serviceAccountName: pod.serviceAccount,
      containers: [{ name: 'app', env: Object.entries(pod.env).map(([name, value]) => ({ name, value })) }],
    },
    status: { phase: pod.phase, startTime: pod.startTime },
  };
}

function tokenOf(path: string, offset: number): string {
  return Buffer.from(`${path}|${offset}`).toString('base64url');
}

function offsetOf(token: string, path: string): number | undefined {
  const [from, offset] = Buffer.from(token, 'base64url').toString('utf8').split('|');
  return from === path && /^\d+$/.test(offset ?? '') ? Number(offset) : undefined;
}

function status(res: ServerResponse, code: number, message: string): void {
  json(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code });
}

function json(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
