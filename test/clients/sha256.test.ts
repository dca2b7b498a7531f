import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { Sha256 } from '../../src/clients/sha256.ts';
import { MemoizedKeySignatureV4 } from '../../src/clients/signer.ts';
import { VANILLA, vanillaSignature } from './vanilla.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const utf8 = (text: string) => new TextEncoder().encode(text);

// RFC 4231, test case 2: key "Jefe".
const JEFE_MAC = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
// FIPS 180-2, "abc".
const ABC_DIGEST = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('Sha256', () => {
  it.each([
    ['a string', 'Jefe'],
    ['a Uint8Array', utf8('Jefe')],
    ['a view into a larger buffer', new Uint8Array(Buffer.from('xxJefexx')).subarray(2, 6)],
    ['an ArrayBuffer', utf8('Jefe').buffer],
  ])('computes HMAC-SHA-256 with a key given as %s (RFC 4231, case 2)', async (_name, key) => {
    // Prepare
    const mac = new Sha256(key);

    // Act
    mac.update(utf8('what do ya want for nothing?'));
    const digest = await mac.digest();

    // Assess
    expect(hex(digest)).toBe(JEFE_MAC);
  });

  it('refuses more data once an HMAC is digested, and starts again after reset', async () => {
    // Prepare
    const mac = new Sha256('Jefe');
    mac.update(utf8('what do ya want '));
    mac.update(utf8('for nothing?'));
    await mac.digest();

    // Act
    const refused = (() => {
      try {
        mac.update(utf8('more'));
      } catch (error) {
        return error;
      }
    })();
    mac.reset();
    mac.update(utf8('what do ya want for nothing?'));

    // Assess
    expect(refused).toEqual(new Error('Attempted to update an already finished hash.'));
    expect(hex(await mac.digest())).toBe(JEFE_MAC);
  });

  it('digests a plain hash as often as asked, going on after each (FIPS 180-2, "abc")', async () => {
    // Prepare
    const hash = new Sha256();
    hash.update(utf8('ab'));
    hash.update(utf8('c'));

    // Act
    const first = await hash.digest();
    const second = await hash.digest();
    hash.update(utf8('d'));
    const longer = await hash.digest();

    // Assess
    expect(hex(first)).toBe(ABC_DIGEST);
    expect(hex(second)).toBe(ABC_DIGEST);
    expect(hex(longer)).toBe('88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589');
  });

  it.each([
    ['the SDK signer', SignatureV4],
    ['the memoized-key signer', MemoizedKeySignatureV4],
  ])('makes %s sign as AWS publishes for its get-vanilla case', async (_name, Signer) => {
    // Act
    const signed = await vanillaSignature(Signer, { sha256: Sha256 });

    // Assess
    expect(signed).toBe(VANILLA.signature);
  });
});
