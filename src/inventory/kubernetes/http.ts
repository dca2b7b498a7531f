// One GET to a cluster's Kubernetes API over node:https: the cluster's own CA (DescribeCluster's
// certificateAuthority.data) is the only trust anchor, the connection may be redirected as --connect-to says, and
// a SYN that a security group drops costs the connect time-out, not the request time-out. The cluster's requests
// share its kept-alive connections (clusterAgent); a server may close one of them while idle, and the request
// sent on it just then fails before any answer: that one is sent again, once, on a connection of its own.

import type { ClientRequestArgs } from 'node:http';
import { Agent, type RequestOptions, request } from 'node:https';
import type { Duplex } from 'node:stream';
import type { ConnectTo } from '../../model/connect-to.ts';
import { resolveConnectTarget } from '../connect-to.ts';

export interface KubernetesGet {
  /** `https://host[:port]` as DescribeCluster gives it. */
  endpoint: string;
  /** Path and query, e.g. `/api/v1/namespaces?limit=500`. */
  path: string;
  /** The cluster's CA (PEM), the connection's only trust anchor. */
  ca: string;
  token: string;
  accept: string;
  connectTo: readonly ConnectTo[];
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** The cluster's kept-alive connections (clusterAgent); without it, a connection for this request alone. */
  agent?: Agent;
  signal?: AbortSignal;
}

export interface KubernetesAnswer {
  status: number;
  body: string;
}

/** A page bigger than this is refused: metadata pages of 500 items stay far below it. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * An HTTP keep-alive agent whose connections go without TCP keep-alive. `keepAlive` in the options an agent passes
 * on to tls.connect is TCP's, and tls.connect owns the secure context it makes from `ca` only without it: it then
 * frees OpenSSL's context as the socket is destroyed, where a context held by JavaScript waits for a full garbage
 * collection, and thousands of clusters' contexts waited in the C heap (docs/performance.md, "The Kubernetes
 * reads"). A cluster's reads last seconds: TCP's probes, after two hours idle, have nothing to keep.
 */
class ClusterAgent extends Agent {
  override createConnection(
    options: ClientRequestArgs,
    done?: (error: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const withoutTcpKeepAlive: ClientRequestArgs & { keepAlive: boolean } = { ...options, keepAlive: false };
    return super.createConnection(withoutTcpKeepAlive, done);
  }
}

/**
 * The connections of one cluster's reads; the most recently used is taken first, the one least likely to have
 * been closed by the server. No TLS session is kept for resuming: the cluster's connection is kept alive instead,
 * and the agent ends with its reads. Destroy it once the cluster's reads end.
 */
export function clusterAgent(): Agent {
  return new ClusterAgent({ keepAlive: true, scheduling: 'lifo', maxCachedSessions: 0 });
}

/** How a kept-alive connection the server has closed fails the request written on it. */
const CLOSED_BY_SERVER = new Set(['ECONNRESET', 'EPIPE']);

/** The request went out on a reused connection and failed before its answer began. */
class ReusedConnectionLost extends Error {}

/** Fails with a Node error code: ETIMEDOUT (connect), ESOCKETTIMEDOUT (answer), or the socket's own. */
export async function kubernetesGet(options: KubernetesGet): Promise<KubernetesAnswer> {
  try {
    return await getOnce(options, options.agent);
  } catch (error) {
    if (!(error instanceof ReusedConnectionLost)) throw error;
    return getOnce(options, undefined);
  }
}

function getOnce(options: KubernetesGet, agent: Agent | undefined): Promise<KubernetesAnswer> {
  const url = new URL(options.endpoint);
  const port = url.port === '' ? 443 : Number(url.port);
  const target = resolveConnectTarget(options.connectTo, url.hostname, port);
  return new Promise((resolve, reject) => {
    const failed = (code: string, message: string) =>
      Object.assign(new Error(`${message} (${url.hostname})`), { code });
    const settings: RequestOptions = {
      host: target.host,
      port: target.port,
      servername: url.hostname,
      path: options.path,
      method: 'GET',
      ca: options.ca,
      headers: { host: url.host, authorization: `Bearer ${options.token}`, accept: options.accept },
      agent: agent ?? false,
      signal: options.signal,
    };
    const req = request(settings);
    let answered = false;
    const connectTimer = setTimeout(
      () => req.destroy(failed('ETIMEDOUT', `no connection within ${options.connectTimeoutMs} ms`)),
      options.connectTimeoutMs,
    );
    const requestTimer = setTimeout(
      () => req.destroy(failed('ESOCKETTIMEDOUT', `no answer within ${options.requestTimeoutMs} ms`)),
      options.requestTimeoutMs,
    );
    const done = () => {
      clearTimeout(connectTimer);
      clearTimeout(requestTimer);
    };
    req.on('socket', (socket) => {
      // A reused connection is past its handshake: there is nothing left to time out but the answer.
      if (req.reusedSocket) clearTimeout(connectTimer);
      else socket.once('secureConnect', () => clearTimeout(connectTimer));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      done();
      const lost = !answered && req.reusedSocket && CLOSED_BY_SERVER.has(error.code ?? '');
      reject(lost ? new ReusedConnectionLost(error.message, { cause: error }) : error);
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) req.destroy(failed('EFBIG', `answer larger than ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        done();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (error) => {
        done();
        reject(error);
      });
    });
    req.end();
  });
}
