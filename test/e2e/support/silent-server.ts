// An AWS endpoint hung behind a load balancer, for the tests of the time budget: point AWS_ENDPOINT_URL_<SERVICE>
// at it and every call to that service waits until the budget (or a request time-out) ends it.
import { createServer, type Server, type Socket } from 'node:net';

/** A TCP server that takes every connection and never writes a byte: an endpoint hung behind a load balancer. */
export async function startSilentServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
