import type { X509Certificate } from 'node:crypto';
import { getCACertificates } from 'node:tls';
import { isIssuedBy, isSelfSigned, parseCertificate } from './certificate-info.ts';

/** The roots the probe verifies against: the same set handed to TLS and used to rebuild the verified chain. */
export interface TrustStore {
  /** For tls.connect's `ca`; undefined keeps Node's default store (bundled roots plus NODE_EXTRA_CA_CERTS). */
  readonly ca: string[] | undefined;
  /** Trusted certificates that issued `cert`. */
  issuersOf(cert: X509Certificate): X509Certificate[];
}

const MAX_CHAIN_LENGTH = 10;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function createTrustStore(trustedCAs?: readonly string[]): TrustStore {
  const pems = trustedCAs ? trustedCAs.flatMap(splitPemBundle) : undefined;
  let bySubject: Map<string, X509Certificate[]> | undefined;
  // Parsing the ~150 default roots is only worth it once a chain needs it, and then only once.
  const index = (): Map<string, X509Certificate[]> => {
    if (bySubject) return bySubject;
    bySubject = new Map();
    for (const pem of pems ?? getCACertificates('default')) {
      const cert = tryParse(pem);
      if (!cert) continue;
      const list = bySubject.get(cert.subject) ?? [];
      list.push(cert);
      bySubject.set(cert.subject, list);
    }
    return bySubject;
  };
  return {
    ca: pems,
    issuersOf: (cert) => (index().get(cert.issuer) ?? []).filter((candidate) => isIssuedBy(cert, candidate)),
  };
}

/**
 * The chain a verifier builds from `leaf`: at each step a trusted issuer first (OpenSSL's default
 * X509_V_FLAG_TRUSTED_FIRST), else one the server sent; currently valid candidates first; stops at a
 * self-signed certificate or where no issuer is found. Node's getPeerCertificate(true) cannot stand in for
 * this: it links the sent certificates first, so behind a cross-certificate it never reaches the trusted root.
 */
export function buildVerifiedChain(
  leaf: X509Certificate,
  presented: readonly X509Certificate[],
  store: TrustStore,
  now: Date = new Date(),
): X509Certificate[] {
  const chain = [leaf];
  const seen = new Set([leaf.fingerprint256]);
  let current = leaf;
  while (chain.length < MAX_CHAIN_LENGTH && !isSelfSigned(current)) {
    const subject = current;
    const candidates = [
      ...store.issuersOf(subject),
      ...presented.filter((cert) => isIssuedBy(subject, cert)),
    ].filter((cert) => !seen.has(cert.fingerprint256));
    const next = candidates.find((cert) => isValidAt(cert, now)) ?? candidates[0];
    if (!next) break;
    chain.push(next);
    seen.add(next.fingerprint256);
    current = next;
  }
  return chain;
}

export function splitPemBundle(bundle: string): string[] {
  return bundle.match(PEM_BLOCK) ?? [];
}

function isValidAt(cert: X509Certificate, now: Date): boolean {
  return cert.validFromDate <= now && now <= cert.validToDate;
}

function tryParse(pem: string): X509Certificate | undefined {
  try {
    return parseCertificate(pem);
  } catch {
    return undefined;
  }
}
