// Deterministic identifiers derived from world content, so the same world always yields the same ARNs,
// ids and keys across runs (reports and expected findings can name them).

import { createHash } from 'node:crypto';

export function hashHex(input: string, length: number): string {
  return createHash('sha1').update(input).digest('hex').slice(0, length);
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Uppercase letters and digits, like the tails of AWS unique ids (AROA..., AIDA...). */
export function hashId(input: string, length: number): string {
  const digest = createHash('sha1').update(input).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += BASE32[(digest[i % digest.length] ?? 0) % 32];
  return out;
}

/** The OIDC id EKS would have given a cluster the world does not give one. */
export function issuerIdFor(accountId: string, region: string, clusterName: string): string {
  return hashHex(`issuer/${accountId}/${region}/${clusterName}`, 32).toUpperCase();
}

/** The long-term access key id the sandbox gives every world account. */
export function longTermKeyId(accountId: string): string {
  return `AKIA${accountId}SBOX`;
}

export function longTermSecret(accountId: string): string {
  return `sandbox-secret-${accountId}`;
}
