// SHA-256 and HMAC-SHA-256 for SigV4 signing, given to the clients as their `sha256` setting. The SDK's own
// class hands its HMAC key to `createHmac` as a Buffer, and Node 24 first asks whether the key is a KeyObject or
// a CryptoKey by reading a private field of each, which throws for a Buffer and is caught: two exceptions, stack
// traces included, on every signed call (about 10 µs, 3% of the auditor's CPU at 200 accounts:
// docs/performance.md, "CPU per call"). Wrapped in a KeyObject first, the key passes the first question.
// Otherwise this is the SDK's behaviour: a plain hash can be digested and updated again, an HMAC once.

import { createHash, createHmac, createSecretKey, type Hash, type Hmac } from 'node:crypto';
import type { Checksum, SourceData } from '@aws-sdk/types';

export class Sha256 implements Checksum {
  readonly digestLength = 32;
  private readonly secret: SourceData | undefined;
  private hash: Hash | Hmac;
  private finished = false;

  constructor(secret?: SourceData) {
    this.secret = secret;
    this.hash = this.start();
  }

  update(data: Uint8Array): void {
    if (this.finished) throw new Error('Attempted to update an already finished hash.');
    this.hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    let digest: Buffer;
    if (this.secret) {
      this.finished = true;
      digest = this.hash.digest();
    } else {
      digest = (this.hash as Hash).copy().digest();
    }
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
  }

  reset(): void {
    this.hash = this.start();
    this.finished = false;
  }

  private start(): Hash | Hmac {
    return this.secret ? createHmac('sha256', createSecretKey(bytesOf(this.secret))) : createHash('sha256');
  }
}

function bytesOf(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
