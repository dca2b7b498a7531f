// Reads the server's Certificate message off the wire of a TLS 1.2 handshake, where it travels in clear.
// Node only offers getPeerCertificate(true), which re-links certificates by issuer and appends trust-store
// certificates: it cannot tell which certificate the server actually sent last, which is what IAM hashes.

const RECORD_HEADER = 5;
const CONTENT_HANDSHAKE = 22;
const HANDSHAKE_CERTIFICATE = 11;
const HANDSHAKE_SERVER_HELLO_DONE = 14;
/** Far above any real chain; stops a hostile server from growing the buffer without end. */
const MAX_BUFFERED = 1024 * 1024;

export interface CertificateTap {
  /** Feed every byte the server sends, in order. Cheap once done. */
  push(chunk: Buffer): void;
  /** The DER certificates in the order sent; undefined until (or unless) the message was read. */
  certificates(): Buffer[] | undefined;
}

export function createCertificateTap(): CertificateTap {
  let records = Buffer.alloc(0);
  let handshake = Buffer.alloc(0);
  let done = false;
  let found: Buffer[] | undefined;

  const readHandshakeMessages = (): void => {
    while (!done && handshake.length >= 4) {
      const type = handshake[0];
      const length = handshake.readUIntBE(1, 3);
      if (handshake.length < 4 + length) return;
      const body = handshake.subarray(4, 4 + length);
      handshake = handshake.subarray(4 + length);
      if (type === HANDSHAKE_CERTIFICATE) {
        found = parseCertificateList(body);
        done = true;
      } else if (type === HANDSHAKE_SERVER_HELLO_DONE) {
        done = true;
      }
    }
  };

  return {
    push(chunk) {
      if (done) return;
      records = Buffer.concat([records, chunk]);
      while (!done && records.length >= RECORD_HEADER) {
        const type = records[0];
        const length = records.readUInt16BE(3);
        if (records.length < RECORD_HEADER + length) break;
        const fragment = records.subarray(RECORD_HEADER, RECORD_HEADER + length);
        records = records.subarray(RECORD_HEADER + length);
        if (type === CONTENT_HANDSHAKE) {
          handshake = Buffer.concat([handshake, fragment]);
          readHandshakeMessages();
        } else {
          // ChangeCipherSpec, an alert or anything else: the handshake is encrypted from here, failed, or
          // this was never TLS.
          done = true;
        }
      }
      if (records.length + handshake.length > MAX_BUFFERED) done = true;
      if (done) {
        records = Buffer.alloc(0);
        handshake = Buffer.alloc(0);
      }
    },
    certificates: () => found,
  };
}

/** TLS 1.2 Certificate body: a 3-byte total length, then entries of 3-byte length + DER. */
export function parseCertificateList(body: Buffer): Buffer[] | undefined {
  if (body.length < 3) return undefined;
  const total = body.readUIntBE(0, 3);
  if (total + 3 !== body.length) return undefined;
  const certs: Buffer[] = [];
  let offset = 3;
  while (offset < body.length) {
    if (offset + 3 > body.length) return undefined;
    const length = body.readUIntBE(offset, 3);
    offset += 3;
    if (offset + length > body.length) return undefined;
    certs.push(Buffer.from(body.subarray(offset, offset + length)));
    offset += length;
  }
  return certs;
}
