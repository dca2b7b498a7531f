import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { MemoizedKeySignatureV4 } from '../../src/clients/signer.ts';
import { VANILLA, vanillaSignature } from './vanilla.ts';

/** A SHA-256 for the signer that counts the HMACs (keyed hashes) it computes. */
function countingSha256() {
  const counter = { hmacs: 0 };
  class CountingSha256 {
    private readonly hash: Hash | Hmac;
    constructor(secret?: string | Uint8Array) {
      if (secret !== undefined) counter.hmacs++;
      this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
    }
    update(data: Uint8Array): void {
      this.hash.update(data);
    }
    async digest(): Promise<Uint8Array> {
      return this.hash.digest();
    }
  }
  return { counter, Sha256: CountingSha256 };
}

describe('MemoizedKeySignatureV4', () => {
  it('signs as AWS publishes for its get-vanilla case', async () => {
    // Act
    const signed = await vanillaSignature(MemoizedKeySignatureV4, { sha256: countingSha256().Sha256 });

    // Assess
    expect(signed).toBe(VANILLA.signature);
  });

  it('derives the key of a scope once for an identity, then signs with one HMAC of the string to sign', async () => {
    // Prepare
    const { counter, Sha256 } = countingSha256();
    // An identity of its own, so that no earlier signing in this process has derived its key.
    const credentials = { accessKeyId: 'AKIDFRESH', secretAccessKey: `secret-${Math.random()}` };
    const first = await vanillaSignature(MemoizedKeySignatureV4, { credentials, sha256: Sha256 });
    const afterFirst = counter.hmacs;

    // Act
    const again = await vanillaSignature(MemoizedKeySignatureV4, { credentials, sha256: Sha256 });

    // Assess: the first signing names the SDK's cache entry (one HMAC), derives the key (date, region, service,
    // "aws4_request": four) and signs (one); the second signs alone
    expect(afterFirst).toBe(6);
    expect(counter.hmacs - afterFirst).toBe(1);
    expect(again).toBe(first);
  });

  it.each([
    ['another region', { region: 'eu-west-1' }],
    ['another identity', { credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other-secret' } }],
  ])('signs %s with its own key, as the SDK signer does', async (_name, options) => {
    // Prepare
    const credentials = { accessKeyId: VANILLA.accessKeyId, secretAccessKey: VANILLA.secretAccessKey };
    await vanillaSignature(MemoizedKeySignatureV4, { credentials });

    // Act
    const memoized = await vanillaSignature(MemoizedKeySignatureV4, options);
    const stock = await vanillaSignature(SignatureV4, options);

    // Assess
    expect(memoized).toBe(stock);
    expect(memoized).not.toBe(VANILLA.signature);
  });
});
