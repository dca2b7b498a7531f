import { Agent, type ClientRequestArgs, type IncomingHttpHeaders, request } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { ProbeFailure } from './probe-failure.ts';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * HTTP/1.1 GETs to one host over one keep-alive TLS connection, one at a time: the connection the chain was
 * recorded on, reopened only when the server closes it. One connection per host is what keeps a probe of many
 * clusters in a region down to one handshake.
 */
export interface HostSession {
  readonly host: string;
  get(path: string): Promise<HttpResponse>;
  /** Destroys every socket; later gets fail. */
  close(): void;
}

export interface HostSessionOptions {
  host: string;
  /** Bounds each request from sending to the last body byte, and each reconnect. */
  timeoutMs: number;
  maxBodyBytes: number;
}

// A socket reset between requests is the server closing an idle keep-alive connection: try once more.
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE']);

export function createHostSession(
  first: TLSSocket,
  reopen: () => Promise<TLSSocket>,
  options: HostSessionOptions,
): HostSession {
  const sockets = new Set<TLSSocket>();
  const own = (socket: TLSSocket): TLSSocket => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    return socket;
  };
  let unused: TLSSocket | undefined = own(first);
  let closed = false;
  // After a time-out the host is taken as unresponsive: later requests fail at once, keeping the probe bounded.
  let timedOut: ProbeFailure | undefined;

  const agent = new SessionAgent(async () => {
    const handOver = unused;
    unused = undefined;
    if (handOver && !handOver.destroyed) return handOver;
    if (closed) throw new ProbeFailure('ECONNABORTED', `session to ${options.host} is closed`);
    const socket = own(await reopen());
    if (closed) socket.destroy();
    return socket;
  });

  const once = (path: string): Promise<HttpResponse> =>
    new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error: Error | undefined, response?: HttpResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          req.destroy();
          reject(Object.assign(error, { reusedSocket: req.reusedSocket, responded }));
        } else if (response) {
          resolve(response);
        }
      };
      let responded = false;
      const req = request({
        agent,
        host: options.host,
        port: 443,
        path,
        method: 'GET',
        headers: { host: options.host, accept: 'application/json', 'user-agent': 'eks-oidc-auditor' },
      });
      const timer = setTimeout(() => {
        timedOut = new ProbeFailure(
          'ETIMEDOUT',
          `no complete response from ${options.host} within ${options.timeoutMs} ms (GET ${path})`,
        );
        settle(timedOut);
      }, options.timeoutMs);
      req.on('error', (error) => settle(error));
      req.on('response', (res) => {
        responded = true;
        const tooLarge = () =>
          new ProbeFailure(
            'BODY_TOO_LARGE',
            `GET https://${options.host}${path}: body exceeds ${options.maxBodyBytes} bytes`,
          );
        if (Number(res.headers['content-length']) > options.maxBodyBytes) return settle(tooLarge());
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBodyBytes) return settle(tooLarge());
          chunks.push(chunk);
        });
        res.on('end', () =>
          settle(undefined, {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', (error) => settle(error));
        res.on('close', () => {
          if (res.complete) return;
          settle(
            new ProbeFailure(
              'ECONNRESET',
              `${options.host} closed the connection mid-response (GET ${path})`,
            ),
          );
        });
      });
      req.end();
    });

  return {
    host: options.host,
    async get(path) {
      if (closed) throw new ProbeFailure('ECONNABORTED', `session to ${options.host} is closed`);
      if (timedOut) throw timedOut;
      try {
        return await once(path);
      } catch (error) {
        const { code, reusedSocket, responded } = error as {
          code?: string;
          reusedSocket?: boolean;
          responded?: boolean;
        };
        if (!reusedSocket || responded || !STALE_SOCKET.has(code ?? '') || closed) throw error;
        return await once(path);
      }
    },
    close() {
      closed = true;
      agent.destroy();
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** An http.Agent whose sockets come from the session: keep-alive, at most one connection, never unref'd. */
class SessionAgent extends Agent {
  readonly #next: () => Promise<Duplex>;

  constructor(next: () => Promise<Duplex>) {
    super({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1 });
    this.#next = next;
  }

  override createConnection(
    _options: ClientRequestArgs,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): undefined {
    this.#next().then(
      (socket) => callback?.(null, socket),
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }

  override keepSocketAlive(): boolean {
    return true;
  }
}
