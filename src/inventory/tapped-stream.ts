import { Duplex } from 'node:stream';

/**
 * A pass-through over `inner` that shows every received chunk to `onData` first. TLS over a plain net.Socket
 * reads the handle directly, bypassing JavaScript, so the handshake bytes can only be seen through a wrapper.
 */
export function tapIncoming(inner: Duplex, onData: (chunk: Buffer) => void): Duplex {
  const outer = new Duplex({
    read() {
      inner.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      inner.write(chunk, callback);
    },
    final(callback) {
      inner.end(callback);
    },
    destroy(error, callback) {
      inner.destroy();
      callback(error);
    },
  });
  inner.on('data', (chunk: Buffer) => {
    onData(chunk);
    if (!outer.push(chunk)) inner.pause();
  });
  inner.on('end', () => outer.push(null));
  inner.on('error', (error) => outer.destroy(error));
  // TLS learns of the failure through close; an 'error' nobody listens to would crash the process.
  outer.on('error', () => {});
  inner.on('close', () => outer.destroy());
  return outer;
}
