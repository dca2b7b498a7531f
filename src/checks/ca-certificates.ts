// Every CA certificate of the chains serving an issuer, with where it was seen. docs/thumbprints.md: tools disagree on
// which certificate they hash and cross-signing flips the presented top, so both the presented and the verified
// chain count, and a certificate is known by its SHA-1 (what IAM calls the thumbprint).

import type { CertificateInfo } from '../model/inventory.ts';
import type { ServingChain } from './issuer-matching.ts';

export interface Sighting {
  host: string;
  in: 'presented' | 'verified';
  /** Index in that chain, leaf = 0. */
  position: number;
}

export interface CaCertificate {
  certificate: CertificateInfo;
  seen: Sighting[];
}

/** CA certificates of the chains, one entry per SHA-1, in the order first seen. */
export function caCertificatesOf(chains: readonly ServingChain[]): CaCertificate[] {
  const bySha1 = new Map<string, CaCertificate>();
  for (const { host, chain } of chains) {
    for (const where of ['presented', 'verified'] as const) {
      chain[where].forEach((certificate, position) => {
        if (!certificate.isCa) return;
        const sha1 = certificate.sha1.toLowerCase();
        const entry = bySha1.get(sha1) ?? { certificate, seen: [] };
        entry.seen.push({ host, in: where, position });
        bySha1.set(sha1, entry);
      });
    }
  }
  return [...bySha1.values()];
}

/** `presented[2]@host`: short enough for evidence that people read. */
export function describeSighting(sighting: Sighting): string {
  return `${sighting.in}[${sighting.position}]@${sighting.host}`;
}
