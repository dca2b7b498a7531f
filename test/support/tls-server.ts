// A loopback TLS or HTTPS server over a generated chain, for tests that need responses the issuer sandbox does
// not give (redirects, huge bodies, closing after each response, resets, TLS 1.3 only). Always stop() it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { TestChain } from './pki.ts';

export interface TestServer {
  port: number;
  /** Accepted TCP connections. */
  connections(): number;
  stop(): Promise<void>;
}

export interface TlsServerOptions {
  tls13Only?: boolean;
}

/** HTTPS with keep-alive; `handler` answers every request. */
export function startHttpsServer(
  chain: TestChain,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: TlsServerOptions = {},
): Promise<TestServer> {
  const server = createHttpsServer({ key: chain.keyPem, cert: chain.certPem, ...versions(options) }, handler);
  return start(server);
}

/** Completes TLS handshakes and then says nothing. */
export function startTlsServer(chain: TestChain, options: TlsServerOptions = {}): Promise<TestServer> {
  const server = createTlsServer(
    { key: chain.keyPem, cert: chain.certPem, ...versions(options) },
    (socket: TLSSocket) => {
      socket.on('error', () => {});
    },
  );
  return start(server);
}

/** Accepts TCP and hands each socket to `onSocket` (default: never answer). */
export function startRawServer(onSocket: (socket: Socket) => void = () => {}): Promise<TestServer> {
  const server = createNetServer((socket) => {
    socket.on('error', () => {});
    onSocket(socket);
  });
  return start(server);
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function versions(options: TlsServerOptions): { minVersion?: 'TLSv1.3' } {
  return options.tls13Only ? { minVersion: 'TLSv1.3' } : {};
}

function start(server: Server): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        connections: () => connections,
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
      }),
    );
  });
}
