import { createHash, X509Certificate } from 'node:crypto';
import type { CertificateInfo } from '../model/inventory.ts';

/** Parses DER or PEM; throws on anything else. */
export function parseCertificate(encoded: Buffer | string): X509Certificate {
  return new X509Certificate(encoded);
}

/** The facts the checks need about one certificate; sha1 is IAM's thumbprint form (lowercase hex of the DER). */
export function describeCertificate(cert: X509Certificate): CertificateInfo {
  return {
    subject: oneLineName(cert.subject),
    issuer: oneLineName(cert.issuer),
    serialNumber: cert.serialNumber.toLowerCase(),
    notBefore: cert.validFromDate.toISOString(),
    notAfter: cert.validToDate.toISOString(),
    sha1: sha1Hex(cert.raw),
    isCa: cert.ca,
    selfSigned: isSelfSigned(cert),
  };
}

export function sha1Hex(der: Buffer): string {
  return createHash('sha1').update(der).digest('hex');
}

/** Whether `issuer` signed `cert`: names match and the signature verifies (names alone can collide). */
export function isIssuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    // A key type OpenSSL cannot use for verification is not a usable issuer.
    return false;
  }
}

export function isSelfSigned(cert: X509Certificate): boolean {
  return isIssuedBy(cert, cert);
}

// Node prints distinguished names one attribute per line; the report wants one line.
function oneLineName(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}
