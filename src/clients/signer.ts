// SigV4 signing keys derived once per identity, day, region and service. The SDK derives the key with four
// HMACs plus one more to name its cache entry, and keeps 50 entries for the whole process: an audit signs for
// thousands of account, region and service scopes at once, so nearly every call missed and paid five HMACs
// (7% of the auditor's CPU at 1,000 accounts, docs/performance.md). The clients build a signer per request
// (src/clients/aws.ts passes this class as `signerConstructor`), so the memo lives here, keyed weakly by the
// resolved credentials object: an account's keys go with its credentials once it has been read.

import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { SignatureV4 } from '@smithy/signature-v4';

type DeriveKey = (
  credentials: AwsCredentialIdentity,
  region: string,
  shortDate: string,
  service?: string,
) => Promise<Uint8Array>;

const keys = new WeakMap<AwsCredentialIdentity, Map<string, Promise<Uint8Array>>>();

// SignatureV4 declares getSigningKey private, so TypeScript allows no override: it is replaced on the prototype.
const derive = (SignatureV4.prototype as unknown as { getSigningKey: DeriveKey }).getSigningKey;

function memoizedSigningKey(
  this: SignatureV4,
  credentials: AwsCredentialIdentity,
  region: string,
  shortDate: string,
  service?: string,
): Promise<Uint8Array> {
  let scopes = keys.get(credentials);
  if (!scopes) {
    scopes = new Map();
    keys.set(credentials, scopes);
  }
  const scope = `${shortDate}/${region}/${service ?? ''}`;
  let key = scopes.get(scope);
  if (!key) {
    key = derive.call(this, credentials, region, shortDate, service);
    const memo = scopes;
    // A failed derivation is not kept: the next call derives again.
    key.catch(() => memo.delete(scope));
    scopes.set(scope, key);
  }
  return key;
}

/** SignatureV4 with signing keys memoized per credentials object and scope. */
export class MemoizedKeySignatureV4 extends SignatureV4 {}
Object.defineProperty(MemoizedKeySignatureV4.prototype, 'getSigningKey', {
  value: memoizedSigningKey,
  writable: true,
  configurable: true,
});
