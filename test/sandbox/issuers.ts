// The issuers' side of the sandbox: one loopback HTTPS server per issuer host, serving discovery documents and
// JWKS over a generated chain, reached through --connect-to mappings. Counts connections and requests so tests
// can hold the probe to one TLS connection per host.

import { generateKeyPairSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from 'node:net';
import { type CaHierarchy, createHierarchy, issueLeaf, type TestChain } from '../support/pki.ts';

export interface IssuerCertProfile {
  /** ISO dates or offsets from now such as `-1d`, `+30d`, `+2y` (see pki.ts resolveWhen). */
  rootNotBefore?: string;
  rootNotAfter?: string;
  intermediateNotBefore?: string;
  intermediateNotAfter?: string;
  /** Server sends leaf, intermediate, and a cross-certificate of the trusted root signed by an old root. */
  crossSigned?: boolean;
  /** Server also sends the root (the old root when cross-signed). Default false, as most servers. */
  sendRoot?: boolean;
  /** Default true: the root goes into trustedCaPem. */
  trusted?: boolean;
  /** Accept the TCP connection and never answer. */
  hang?: boolean;
  /** Refuse TLS 1.2: only a TLS 1.3 handshake succeeds. */
  tls13Only?: boolean;
}

export interface IssuerHostSpec {
  host: string;
  profile: IssuerCertProfile;
  issuers: {
    /** e.g. `/id/0123456789ABCDEF0123456789ABCDEF` */
    path: string;
    /** The `issuer` the discovery document claims; default `https://<host><path>`. */
    discoveryIssuer?: string;
    /** Default `https://<host><path>/keys`. */
    jwksUri?: string;
  }[];
}

export interface IssuerServers {
  /** `host:443:127.0.0.1:PORT`, one per host. */
  connectTo: string[];
  /** PEM bundle of the roots of trusted profiles ('' when none). */
  trustedCaPem: string;
  /** TLS connections (TCP connections for a hanging host) accepted so far. */
  connections(host: string): number;
  requests(host: string): number;
  /** Connections to the host still open now: 0 once a client has closed everything it opened. */
  openConnections(host: string): number;
  /** Thumbprints of what the host sends, in order, and of the root a verifier reaches; empty for a hanging host. */
  chain(host: string): { presentedSha1: string[]; rootSha1: string };
  stop(): Promise<void>;
}

interface HostState {
  spec: IssuerHostSpec;
  server: Server;
  sockets: Set<Socket>;
  connections: number;
  requests: number;
  chain?: TestChain;
  port: number;
}

// Roots are the slow part and many hosts share a profile: one hierarchy per distinct profile per process.
const hierarchies = new Map<string, Promise<CaHierarchy>>();
let signingKey: Record<string, unknown> | undefined;

export async function startIssuerServers(specs: IssuerHostSpec[]): Promise<IssuerServers> {
  const states = new Map<string, HostState>();
  const trusted = new Set<string>();
  try {
    for (const spec of specs) {
      const host = spec.host.toLowerCase();
      if (states.has(host)) throw new Error(`issuer host ${host} is declared twice`);
      const state = spec.profile.hang ? await startHanging(spec) : await startServing(spec);
      states.set(host, state);
      if (state.chain && spec.profile.trusted !== false)
        for (const pem of state.chain.trustedPems) trusted.add(pem);
    }
  } catch (error) {
    await stopAll([...states.values()]);
    throw error;
  }
  const state = (host: string): HostState => {
    const found = states.get(host.toLowerCase());
    if (!found) throw new Error(`no issuer server for ${host}`);
    return found;
  };
  return {
    connectTo: [...states].map(([host, { port }]) => `${host}:443:127.0.0.1:${port}`),
    trustedCaPem: [...trusted].join('\n'),
    connections: (host) => state(host).connections,
    requests: (host) => state(host).requests,
    openConnections: (host) => state(host).sockets.size,
    chain: (host) => {
      const { chain } = state(host);
      return {
        presentedSha1: chain?.presented.map((cert) => cert.sha1) ?? [],
        rootSha1: chain?.root.cert.sha1 ?? '',
      };
    },
    stop: () => stopAll([...states.values()]),
  };
}

async function startServing(spec: IssuerHostSpec): Promise<HostState> {
  const { profile } = spec;
  const chain = await issueLeaf(await hierarchyFor(profile), {
    dnsNames: [spec.host],
    sendRoot: profile.sendRoot,
  });
  const server = createHttpsServer({
    key: chain.keyPem,
    cert: chain.certPem,
    ...(profile.tls13Only ? { minVersion: 'TLSv1.3' as const } : {}),
  });
  const state: HostState = { spec, server, sockets: new Set(), connections: 0, requests: 0, chain, port: 0 };
  track(state);
  server.on('secureConnection', () => {
    state.connections += 1;
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    state.requests += 1;
    answer(spec, req, res);
  });
  state.port = await listen(server);
  return state;
}

async function startHanging(spec: IssuerHostSpec): Promise<HostState> {
  const server = createNetServer();
  const state: HostState = { spec, server, sockets: new Set(), connections: 0, requests: 0, port: 0 };
  track(state);
  server.on('connection', (socket: Socket) => {
    state.connections += 1;
    // Read and drop what the client sends, so its close is seen and the socket goes away with it.
    socket.on('error', () => {});
    socket.resume();
  });
  state.port = await listen(server);
  return state;
}

function answer(spec: IssuerHostSpec, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const [status, body] = route(spec, path);
  json(res, status, body);
}

function route(spec: IssuerHostSpec, path: string): [number, unknown] {
  for (const issuer of spec.issuers) {
    const base = issuer.path.replace(/\/$/, '');
    const issuerUrl = `https://${spec.host}${base}`;
    if (path === `${base}/.well-known/openid-configuration`) {
      return [
        200,
        {
          issuer: issuer.discoveryIssuer ?? issuerUrl,
          jwks_uri: issuer.jwksUri ?? `${issuerUrl}/keys`,
          authorization_endpoint: 'urn:kubernetes:programmatic_authorization',
          response_types_supported: ['id_token'],
          subject_types_supported: ['public'],
          claims_supported: ['sub', 'iss'],
          id_token_signing_alg_values_supported: ['ES256'],
        },
      ];
    }
    if (path === `${base}/keys`) return [200, { keys: [jwk()] }];
  }
  return [404, { error: 'not found', path }];
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function jwk(): Record<string, unknown> {
  if (!signingKey) {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    signingKey = { ...publicKey.export({ format: 'jwk' }), kid: 'sandbox-1', use: 'sig', alg: 'ES256' };
  }
  return signingKey;
}

function hierarchyFor(profile: IssuerCertProfile): Promise<CaHierarchy> {
  const options = {
    root: { notBefore: profile.rootNotBefore, notAfter: profile.rootNotAfter },
    intermediate: { notBefore: profile.intermediateNotBefore, notAfter: profile.intermediateNotAfter },
    crossSigned: profile.crossSigned === true,
  };
  // Trusted and untrusted profiles must not share a root, or the untrusted one would verify.
  const key = JSON.stringify({ ...options, trusted: profile.trusted !== false });
  let hierarchy = hierarchies.get(key);
  if (!hierarchy) {
    hierarchy = createHierarchy(options);
    hierarchies.set(key, hierarchy);
    hierarchy.catch(() => hierarchies.delete(key));
  }
  return hierarchy;
}

function track(state: HostState): void {
  state.server.on('connection', (socket: Socket) => {
    state.sockets.add(socket);
    socket.on('close', () => state.sockets.delete(socket));
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function stopAll(states: HostState[]): Promise<void> {
  await Promise.all(
    states.map(
      (state) =>
        new Promise<void>((resolve) => {
          state.server.close(() => resolve());
          for (const socket of state.sockets) socket.destroy();
        }),
    ),
  );
}
