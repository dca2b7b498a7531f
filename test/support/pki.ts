// Certificate chains for tests: ECDSA P-256 (fast to generate), root → intermediate → leaf, with per-certificate
// validity, an optional cross-signed root, and the root sent or not.
// @peculiar/x509 decorates its ASN.1 schemas with reflect metadata and expects the polyfill loaded first.
import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const UNIT_MS = { h: 3_600_000, d: 86_400_000, y: 365 * 86_400_000 } as const;

/** A Date, an ISO string, or an offset from now in hours, days or 365-day years: `+12h`, `-1d`, `+30d`, `-2y`. */
export type When = Date | string;

export interface Validity {
  notBefore?: When;
  notAfter?: When;
}

export interface GeneratedCert {
  pem: string;
  der: Buffer;
  /** Lowercase hex SHA-1 of the DER: the IAM thumbprint. */
  sha1: string;
  subject: string;
}

export interface CertificateAuthority {
  cert: GeneratedCert;
  keys: CryptoKeyPair;
}

/** The CAs a chain hangs from; reusable across many leaves (one per host). */
export interface CaHierarchy {
  /** The root a verifier reaches when it trusts `trustedPems`: for a cross-signed hierarchy, the new root. */
  root: CertificateAuthority;
  intermediate: CertificateAuthority;
  /** Cross-signed only: the old root that signed `crossCert`. */
  oldRoot?: CertificateAuthority;
  /** Cross-signed only: the new root's name and key, signed by the old root. */
  crossCert?: GeneratedCert;
  trustedPems: string[];
}

export interface HierarchyOptions {
  root?: Validity;
  intermediate?: Validity;
  /** Adds an old root R1 and a cross-certificate of the new root R2 signed by R1; R2 is the one to trust. */
  crossSigned?: boolean;
}

export interface LeafOptions {
  dnsNames: string[];
  leaf?: Validity;
  /** Append the root to what the server sends (the old root, for a cross-signed hierarchy). Default false. */
  sendRoot?: boolean;
}

export interface TestChain extends CaHierarchy {
  leaf: GeneratedCert;
  /** PKCS#8 PEM of the leaf's private key. */
  keyPem: string;
  /** What the server sends, in order: leaf, intermediate, then cross-certificate and/or root. */
  presented: GeneratedCert[];
  /** `presented` as one PEM bundle, for tls.createServer's `cert`. */
  certPem: string;
}

let serial = 0;

export async function createChain(options: HierarchyOptions & LeafOptions): Promise<TestChain> {
  return issueLeaf(await createHierarchy(options), options);
}

export async function createHierarchy(options: HierarchyOptions = {}): Promise<CaHierarchy> {
  const id = `${process.pid}-${++serial}`;
  if (!options.crossSigned) {
    const root = await createRootCa(`Test Root ${id}`, options.root);
    const intermediate = await createIntermediateCa(`Test Intermediate ${id}`, root, options.intermediate);
    return { root, intermediate, trustedPems: [root.cert.pem] };
  }
  const oldRoot = await createRootCa(`Test Old Root ${id}`, options.root);
  const root = await createRootCa(`Test New Root ${id}`, options.root);
  const crossCert = await signCa(root, `Test New Root ${id}`, oldRoot, options.root);
  const intermediate = await createIntermediateCa(`Test Intermediate ${id}`, root, options.intermediate);
  return { root, intermediate, oldRoot, crossCert, trustedPems: [root.cert.pem] };
}

export async function issueLeaf(hierarchy: CaHierarchy, options: LeafOptions): Promise<TestChain> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: `CN=${options.dnsNames[0] ?? 'localhost'}`,
    issuer: hierarchy.intermediate.cert.subject,
    publicKey: keys.publicKey,
    signingKey: hierarchy.intermediate.keys.privateKey,
    signingAlgorithm: ALGORITHM,
    ...validity(options.leaf, { notBefore: '-1d', notAfter: '+90d' }),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        options.dnsNames.map((value) => ({ type: 'dns' as const, value })),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(hierarchy.intermediate.keys.publicKey),
    ],
  });
  const leaf = toGenerated(cert);
  const top = hierarchy.crossCert ? [hierarchy.crossCert] : [];
  const root = hierarchy.oldRoot ?? hierarchy.root;
  const presented = [leaf, hierarchy.intermediate.cert, ...top, ...(options.sendRoot ? [root.cert] : [])];
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    ...hierarchy,
    leaf,
    keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    presented,
    certPem: presented.map((entry) => entry.pem).join('\n'),
  };
}

export async function createRootCa(name: string, period?: Validity): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${name}`,
    keys,
    signingAlgorithm: ALGORITHM,
    ...validity(period, { notBefore: '-3650d', notAfter: '+3650d' }),
    extensions: await caExtensions(keys.publicKey, keys.publicKey),
  });
  return { cert: toGenerated(cert), keys };
}

export async function createIntermediateCa(
  name: string,
  issuer: CertificateAuthority,
  period?: Validity,
): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  return { cert: await signCa({ cert: issuer.cert, keys }, name, issuer, period), keys };
}

/** A CA certificate for `subject`'s key under `name`, signed by `issuer`: an intermediate or a cross-certificate. */
async function signCa(
  subject: CertificateAuthority,
  name: string,
  issuer: CertificateAuthority,
  period?: Validity,
): Promise<GeneratedCert> {
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: `CN=${name}`,
    issuer: issuer.cert.subject,
    publicKey: subject.keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: ALGORITHM,
    ...validity(period, { notBefore: '-365d', notAfter: '+1825d' }),
    extensions: await caExtensions(subject.keys.publicKey, issuer.keys.publicKey),
  });
  return toGenerated(cert);
}

/** Resolves offsets (`+12h`, `-1d`, `+2y`) and ISO strings. */
export function resolveWhen(when: When, now: Date = new Date()): Date {
  if (when instanceof Date) return when;
  const offset = /^([+-]\d+)([hdy])$/.exec(when);
  if (offset) return new Date(now.getTime() + Number(offset[1]) * UNIT_MS[offset[2] as keyof typeof UNIT_MS]);
  const date = new Date(when);
  if (Number.isNaN(date.getTime()))
    throw new Error(`not an ISO date or an offset like -1d, +30d, +2y: ${when}`);
  return date;
}

function validity(
  period: Validity | undefined,
  defaults: Required<Validity>,
): { notBefore: Date; notAfter: Date } {
  return {
    notBefore: resolveWhen(period?.notBefore ?? defaults.notBefore),
    notAfter: resolveWhen(period?.notAfter ?? defaults.notAfter),
  };
}

async function caExtensions(subjectKey: CryptoKey, issuerKey: CryptoKey): Promise<x509.Extension[]> {
  return [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(subjectKey),
    await x509.AuthorityKeyIdentifierExtension.create(issuerKey),
  ];
}

function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

function toGenerated(cert: x509.X509Certificate): GeneratedCert {
  const der = Buffer.from(cert.rawData);
  return {
    pem: cert.toString('pem'),
    der,
    sha1: createHash('sha1').update(der).digest('hex'),
    subject: cert.subject,
  };
}

// Positive, unique per process: OpenSSL rejects negative serials and identical issuer+serial pairs confuse it.
function nextSerial(): string {
  serial += 1;
  return `01${Date.now().toString(16)}${serial.toString(16).padStart(6, '0')}`;
}
