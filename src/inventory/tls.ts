import type { X509Certificate } from 'node:crypto';
import { isIP, connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  checkServerIdentity,
  type DetailedPeerCertificate,
  type TLSSocket,
  connect as tlsConnect,
} from 'node:tls';
import type { TlsChain } from '../model/inventory.ts';
import { describeCertificate, parseCertificate } from './certificate-info.ts';
import { createCertificateTap } from './handshake-certificates.ts';
import { ProbeFailure } from './probe-failure.ts';
import { tapIncoming } from './tapped-stream.ts';
import { buildVerifiedChain, type TrustStore } from './tls-trust-store.ts';

/** A host as the issuer URL names it, and where its TCP connection actually goes (see connect-to.ts). */
export interface TlsTarget {
  host: string;
  port: number;
  connectHost: string;
  connectPort: number;
}

export interface TlsOptions {
  /** Bounds TCP connect plus TLS handshake. */
  timeoutMs: number;
  trustStore: TrustStore;
}

export interface TlsProbe {
  /** Open and handshaken, ready for HTTP; the caller owns it and must destroy it. */
  socket: TLSSocket;
  chain: TlsChain;
}

// Failures that a TLS 1.3-only server gives a client capped at TLS 1.2: worth one uncapped retry.
const VERSION_REFUSAL = /^ERR_SSL_|^ECONNRESET$/;

/**
 * Connects and records the chain the server presents, read off the wire under a TLS 1.2 cap, and the chain
 * a verifier builds from it. A server that refuses TLS 1.2 is reached uncapped; its presented chain is then
 * Node's linked chain (presentedExact false) and tls13Only is set: IAM falls back to thumbprints there.
 */
export async function probeTls(target: TlsTarget, options: TlsOptions): Promise<TlsProbe> {
  const tap = createCertificateTap();
  let socket: TLSSocket;
  try {
    socket = await connectTls(target, options, { maxVersion: 'TLSv1.2', onData: tap.push });
  } catch (error) {
    if (!VERSION_REFUSAL.test(String((error as { code?: unknown }).code))) throw error;
    socket = await connectTls(target, options);
    const chain = describeOrDestroy(socket, target, undefined, options.trustStore);
    return { socket, chain: { ...chain, tls13Only: chain.protocol === 'TLSv1.3' } };
  }
  return { socket, chain: describeOrDestroy(socket, target, tap.certificates(), options.trustStore) };
}

export interface ConnectTlsExtras {
  maxVersion?: 'TLSv1.2';
  /** Sees every byte the server sends. */
  onData?: (chunk: Buffer) => void;
}

/**
 * Opens TCP to the connect target and TLS to the named host (SNI and certificate checks use target.host).
 * Untrusted chains are not rejected: they are what the audit is about. Rejects with ETIMEDOUT after timeoutMs.
 */
export function connectTls(
  target: TlsTarget,
  options: TlsOptions,
  extras: ConnectTlsExtras = {},
): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const raw = netConnect({ host: target.connectHost, port: target.connectPort });
    const transport: Duplex = extras.onData ? tapIncoming(raw, extras.onData) : raw;
    const socket = tlsConnect({
      socket: transport,
      host: target.host,
      // SNI carries names only; Node warns when given an address.
      servername: isIP(target.host) ? undefined : target.host,
      ca: options.trustStore.ca,
      rejectUnauthorized: false,
      maxVersion: extras.maxVersion,
      ALPNProtocols: ['http/1.1'],
    });
    // An idle socket's late error must not crash the process; requests on it see errors through their own
    // listeners, and the owner destroys it.
    socket.on('error', () => {});
    raw.on('error', () => {});
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      raw.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        fail(
          new ProbeFailure(
            'ETIMEDOUT',
            `no TLS handshake with ${target.host}:${target.port} within ${options.timeoutMs} ms` +
              viaText(target),
          ),
        ),
      options.timeoutMs,
    );
    const onClose = (): void =>
      fail(
        new ProbeFailure(
          'ECONNRESET',
          `connection to ${target.host} closed during the TLS handshake${viaText(target)}`,
        ),
      );
    socket.once('error', fail);
    socket.once('close', onClose);
    socket.once('secureConnect', () => {
      settled = true;
      clearTimeout(timer);
      socket.removeListener('error', fail);
      socket.removeListener('close', onClose);
      resolve(socket);
    });
  });
}

function viaText(target: TlsTarget): string {
  return target.connectHost === target.host && target.connectPort === target.port
    ? ''
    : ` (via ${target.connectHost}:${target.connectPort})`;
}

function describeOrDestroy(
  socket: TLSSocket,
  target: TlsTarget,
  presentedDer: Buffer[] | undefined,
  trustStore: TrustStore,
): TlsChain {
  try {
    return describeChain(socket, target, presentedDer, trustStore);
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

function describeChain(
  socket: TLSSocket,
  target: TlsTarget,
  presentedDer: Buffer[] | undefined,
  trustStore: TrustStore,
): TlsChain {
  const peer = socket.getPeerCertificate(true);
  if (!peer?.raw) throw new ProbeFailure('NO_CERTIFICATE', `${target.host} presented no certificate`);
  const linked = linkedChain(peer);
  const exact = presentedDer !== undefined && presentedDer.length > 0;
  const presented = exact ? presentedDer.map((der) => parseCertificate(der)) : linked;
  const leaf = presented[0] ?? parseCertificate(peer.raw);
  const verified = buildVerifiedChain(leaf, presented, trustStore);
  const identityError = checkServerIdentity(target.host, peer);
  const trustError = authorizationCode(socket.authorizationError) ?? codeOf(identityError);
  return {
    host: target.host,
    port: target.port,
    protocol: socket.getProtocol() ?? 'unknown',
    presented: presented.map(describeCertificate),
    presentedExact: exact,
    verified: verified.map(describeCertificate),
    publiclyTrusted: socket.authorized && identityError === undefined,
    ...(trustError === undefined ? {} : { trustError }),
  };
}

/** Node's re-linked chain: only a fallback for `presented`, as it reorders and appends trust-store roots. */
function linkedChain(peer: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<DetailedPeerCertificate>();
  let current: DetailedPeerCertificate | undefined = peer;
  while (current?.raw && !seen.has(current)) {
    seen.add(current);
    chain.push(parseCertificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

// Typed as Error, but Node sets the OpenSSL code string (e.g. UNABLE_TO_GET_ISSUER_CERT_LOCALLY).
function authorizationCode(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined;
  return typeof error === 'string' ? error : codeOf(error as Error);
}

function codeOf(error: Error | undefined): string | undefined {
  if (!error) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.message;
}
