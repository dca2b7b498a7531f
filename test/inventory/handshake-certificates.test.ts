import { describe, expect, test } from 'vitest';
import { createCertificateTap } from '../../src/inventory/handshake-certificates.ts';

const HANDSHAKE = 22;

function uint24(value: number): Buffer {
  const out = Buffer.alloc(3);
  out.writeUIntBE(value, 0, 3);
  return out;
}

function handshakeMessage(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), uint24(body.length), body]);
}

function certificateMessage(certs: Buffer[]): Buffer {
  const entries = Buffer.concat(certs.flatMap((cert) => [uint24(cert.length), cert]));
  return handshakeMessage(11, Buffer.concat([uint24(entries.length), entries]));
}

/** Cuts a handshake stream into TLS records of at most `size` bytes. */
function records(stream: Buffer, size: number, type = HANDSHAKE): Buffer {
  const out: Buffer[] = [];
  for (let offset = 0; offset < stream.length; offset += size) {
    const fragment = stream.subarray(offset, offset + size);
    const header = Buffer.from([type, 3, 3, 0, 0]);
    header.writeUInt16BE(fragment.length, 3);
    out.push(header, fragment);
  }
  return Buffer.concat(out);
}

function feed(bytes: Buffer, chunkSize: number): Buffer[] | undefined {
  const tap = createCertificateTap();
  for (let offset = 0; offset < bytes.length; offset += chunkSize)
    tap.push(bytes.subarray(offset, offset + chunkSize));
  return tap.certificates();
}

describe('createCertificateTap', () => {
  test('reads the Certificate message across records and arbitrary chunk boundaries', () => {
    // Prepare
    const certs = [Buffer.alloc(300, 1), Buffer.alloc(200, 2), Buffer.alloc(100, 3)];
    const serverHello = handshakeMessage(2, Buffer.alloc(70, 9));
    const wire = records(Buffer.concat([serverHello, certificateMessage(certs)]), 64);

    // Act
    const found = feed(wire, 7);

    // Assess
    expect(found).toEqual(certs);
  });

  test('gives nothing when the handshake ends without a Certificate message', () => {
    // Prepare
    const wire = records(
      Buffer.concat([handshakeMessage(2, Buffer.alloc(10)), handshakeMessage(14, Buffer.alloc(0))]),
      512,
    );

    // Act
    const found = feed(wire, 512);

    // Assess
    expect(found).toBeUndefined();
  });

  test('stops at a non-handshake record (encrypted or an alert) and ignores what follows', () => {
    // Prepare
    const alert = records(Buffer.from([2, 70]), 16, 21);
    const later = records(certificateMessage([Buffer.alloc(10, 1)]), 512);

    // Act
    const found = feed(Buffer.concat([alert, later]), 512);

    // Assess
    expect(found).toBeUndefined();
  });

  test('refuses a Certificate message whose lengths do not add up', () => {
    // Prepare
    const body = Buffer.concat([uint24(50), uint24(40), Buffer.alloc(10)]);
    const wire = records(handshakeMessage(11, body), 512);

    // Act
    const found = feed(wire, 512);

    // Assess
    expect(found).toBeUndefined();
  });
});
