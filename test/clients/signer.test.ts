import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { MemoizedKeySignatureV4 } from '../../src/clients/signer.ts';

// AWS's SigV4 test suite, case get-vanilla: its published credentials, date and signature.
const VANILLA = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  signingDate: new Date('2015-08-30T12:36:00Z'),
  signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
};

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

function vanillaRequest() {
  const host = 'example.amazonaws.com';
  return { method: 'GET', protocol: 'https:', hostname: host, path: '/', query: {}, headers: { host } };
}

async function signature(
  Signer: typeof SignatureV4,
  options: {
    region?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
    sha256?: unknown;
  } = {},
): Promise<string> {
  const signer = new Signer({
    credentials: options.credentials ?? {
      accessKeyId: VANILLA.accessKeyId,
      secretAccessKey: VANILLA.secretAccessKey,
    },
    region: options.region ?? 'us-east-1',
    service: 'service',
    // The test suite's requests carry no x-amz-content-sha256 header.
    applyChecksum: false,
    sha256: (options.sha256 ?? countingSha256().Sha256) as never,
  });
  const signed = await signer.sign(vanillaRequest(), { signingDate: VANILLA.signingDate });
  return /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? '';
}

describe('MemoizedKeySignatureV4', () => {
  it('signs as AWS publishes for its get-vanilla case', async () => {
    // Act
    const signed = await signature(MemoizedKeySignatureV4);

    // Assess
    expect(signed).toBe(VANILLA.signature);
  });

  it('derives the key of a scope once for an identity, then signs with one HMAC of the string to sign', async () => {
    // Prepare
    const { counter, Sha256 } = countingSha256();
    // An identity of its own, so that no earlier signing in this process has derived its key.
    const credentials = { accessKeyId: 'AKIDFRESH', secretAccessKey: `secret-${Math.random()}` };
    const first = await signature(MemoizedKeySignatureV4, { credentials, sha256: Sha256 });
    const afterFirst = counter.hmacs;

    // Act
    const again = await signature(MemoizedKeySignatureV4, { credentials, sha256: Sha256 });

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
    await signature(MemoizedKeySignatureV4, { credentials });

    // Act
    const memoized = await signature(MemoizedKeySignatureV4, options);
    const stock = await signature(SignatureV4, options);

    // Assess
    expect(memoized).toBe(stock);
    expect(memoized).not.toBe(VANILLA.signature);
  });
});
