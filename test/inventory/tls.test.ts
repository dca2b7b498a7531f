import { beforeAll, describe, expect, test } from 'vitest';
import { probeTls, type TlsTarget } from '../../src/inventory/tls.ts';
import { createTrustStore } from '../../src/inventory/tls-trust-store.ts';
import type { TlsChain } from '../../src/model/inventory.ts';
import { createChain, type TestChain } from '../support/pki.ts';
import { stoppedAfterEach } from '../support/stopped-after-each.ts';
import { startRawServer, startTlsServer } from '../support/tls-server.ts';

const HOST = 'oidc.eks.us-east-1.amazonaws.com';
const TIMEOUT_MS = 1500;

const stopLater = stoppedAfterEach();

async function serve(chain: TestChain, options: { tls13Only?: boolean } = {}): Promise<TlsTarget> {
  const server = stopLater(await startTlsServer(chain, options));
  return { host: HOST, port: 443, connectHost: '127.0.0.1', connectPort: server.port };
}

/** Probes `chain` served on loopback, trusting `trusted` (default: the chain's own roots). */
async function probeChain(
  chain: TestChain,
  options: { trusted?: string[]; tls13Only?: boolean } = {},
): Promise<TlsChain> {
  const target = await serve(chain, options);
  const { socket, chain: recorded } = await probeTls(target, {
    timeoutMs: TIMEOUT_MS,
    trustStore: createTrustStore(options.trusted ?? chain.trustedPems),
  });
  socket.destroy();
  return recorded;
}

const sha1s = (certs: { sha1: string }[]): string[] => certs.map((cert) => cert.sha1);

describe('probeTls records the presented and the verified chain', () => {
  let plain: TestChain;
  let withRoot: TestChain;
  let crossSigned: TestChain;

  beforeAll(async () => {
    [plain, withRoot, crossSigned] = await Promise.all([
      createChain({ dnsNames: [HOST] }),
      createChain({ dnsNames: [HOST], sendRoot: true }),
      createChain({ dnsNames: [HOST], crossSigned: true }),
    ]);
  });

  test('root not sent: presented is leaf and intermediate, verified reaches the trusted root', async () => {
    // Prepare
    const chain = plain;

    // Act
    const recorded = await probeChain(chain);

    // Assess
    expect(recorded.presentedExact).toBe(true);
    expect(recorded.protocol).toBe('TLSv1.2');
    expect(sha1s(recorded.presented)).toEqual([chain.leaf.sha1, chain.intermediate.cert.sha1]);
    expect(sha1s(recorded.verified)).toEqual([
      chain.leaf.sha1,
      chain.intermediate.cert.sha1,
      chain.root.cert.sha1,
    ]);
    expect(recorded.publiclyTrusted).toBe(true);
    expect(recorded.trustError).toBeUndefined();
  });

  test('root sent: presented ends with the root, verified is the same chain', async () => {
    // Prepare
    const chain = withRoot;

    // Act
    const recorded = await probeChain(chain);

    // Assess
    const expected = [chain.leaf.sha1, chain.intermediate.cert.sha1, chain.root.cert.sha1];
    expect(sha1s(recorded.presented)).toEqual(expected);
    expect(sha1s(recorded.verified)).toEqual(expected);
    expect(recorded.publiclyTrusted).toBe(true);
  });

  test('cross-signed: the last presented certificate is the cross-certificate, not the verified root', async () => {
    // Prepare
    const chain = crossSigned;

    // Act
    const recorded = await probeChain(chain);

    // Assess
    const crossSha1 = chain.crossCert?.sha1;
    expect(sha1s(recorded.presented)).toEqual([chain.leaf.sha1, chain.intermediate.cert.sha1, crossSha1]);
    expect(sha1s(recorded.verified)).toEqual([
      chain.leaf.sha1,
      chain.intermediate.cert.sha1,
      chain.root.cert.sha1,
    ]);
    expect(recorded.presented.at(-1)?.sha1).not.toBe(recorded.verified.at(-1)?.sha1);
    expect(recorded.publiclyTrusted).toBe(true);
  });

  test('describes every certificate: names, serial, validity, CA flag, self-signature', async () => {
    // Prepare
    const chain = withRoot;

    // Act
    const recorded = await probeChain(chain);

    // Assess
    const [leaf, intermediate, root] = recorded.presented;
    expect(leaf).toMatchObject({ subject: `CN=${HOST}`, isCa: false, selfSigned: false });
    expect(intermediate).toMatchObject({
      subject: chain.intermediate.cert.subject,
      isCa: true,
      selfSigned: false,
    });
    expect(root).toMatchObject({ subject: chain.root.cert.subject, isCa: true, selfSigned: true });
    expect(root?.issuer).toBe(root?.subject);
    expect(leaf?.serialNumber).toMatch(/^[0-9a-f]+$/);
    expect(Date.parse(leaf?.notBefore ?? '')).toBeLessThan(Date.now());
    expect(Date.parse(leaf?.notAfter ?? '')).toBeGreaterThan(Date.now());
  });

  test('a Certificate message spanning several TLS records is read exactly', async () => {
    // Prepare
    // ~1,000 names push the leaf past one 16 KiB record.
    const names = [HOST, ...Array.from({ length: 1000 }, (_, i) => `alias-${i}.oidc.example`)];
    const chain = await createChain({ dnsNames: names, sendRoot: true });

    // Act
    const recorded = await probeChain(chain);

    // Assess
    expect(chain.leaf.der.length).toBeGreaterThan(16_384);
    expect(recorded.presentedExact).toBe(true);
    expect(sha1s(recorded.presented)).toEqual(chain.presented.map((cert) => cert.sha1));
  });
});

describe('probeTls judges trust', () => {
  test('an expired intermediate is recorded and not trusted', async () => {
    // Prepare
    const chain = await createChain({
      dnsNames: [HOST],
      intermediate: { notBefore: '-400d', notAfter: '-1d' },
    });

    // Act
    const recorded = await probeChain(chain);

    // Assess
    expect(recorded.publiclyTrusted).toBe(false);
    expect(recorded.trustError).toBe('CERT_HAS_EXPIRED');
    const intermediate = recorded.verified.find((cert) => cert.sha1 === chain.intermediate.cert.sha1);
    expect(Date.parse(intermediate?.notAfter ?? '')).toBeLessThan(Date.now());
    expect(recorded.verified.at(-1)?.sha1).toBe(chain.root.cert.sha1);
  });

  test('an intermediate expiring in 10 days is trusted and its notAfter recorded', async () => {
    // Prepare
    const chain = await createChain({ dnsNames: [HOST], intermediate: { notAfter: '+10d' } });

    // Act
    const recorded = await probeChain(chain);

    // Assess
    expect(recorded.publiclyTrusted).toBe(true);
    const daysLeft = (Date.parse(recorded.presented[1]?.notAfter ?? '') - Date.now()) / 86_400_000;
    expect(daysLeft).toBeGreaterThan(9);
    expect(daysLeft).toBeLessThan(11);
  });

  test('a private root outside the trust store is not trusted, and the verified chain stops where it must', async () => {
    // Prepare
    const [chain, unrelated] = await Promise.all([
      createChain({ dnsNames: [HOST] }),
      createChain({ dnsNames: ['other.example'] }),
    ]);

    // Act
    const recorded = await probeChain(chain, { trusted: unrelated.trustedPems });

    // Assess
    expect(recorded.publiclyTrusted).toBe(false);
    expect(recorded.trustError).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    expect(sha1s(recorded.verified)).toEqual([chain.leaf.sha1, chain.intermediate.cert.sha1]);
  });

  test("a private root is not trusted by Node's default store", async () => {
    // Prepare
    const chain = await createChain({ dnsNames: [HOST], sendRoot: true });
    const target = await serve(chain);

    // Act
    const { socket, chain: recorded } = await probeTls(target, {
      timeoutMs: TIMEOUT_MS,
      trustStore: createTrustStore(),
    });
    socket.destroy();

    // Assess
    expect(recorded.publiclyTrusted).toBe(false);
    expect(recorded.trustError).toBe('SELF_SIGNED_CERT_IN_CHAIN');
  });

  test('a certificate for another name is not trusted, with the host name error', async () => {
    // Prepare
    const chain = await createChain({ dnsNames: ['elsewhere.example'] });

    // Act
    const recorded = await probeChain(chain);

    // Assess
    expect(recorded.publiclyTrusted).toBe(false);
    expect(recorded.trustError).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });
});

describe('probeTls at the edges', () => {
  test('a TLS 1.3-only server is reached uncapped, with the presented chain marked inexact', async () => {
    // Prepare
    const chain = await createChain({ dnsNames: [HOST] });

    // Act
    const recorded = await probeChain(chain, { tls13Only: true });

    // Assess
    expect(recorded.protocol).toBe('TLSv1.3');
    expect(recorded.tls13Only).toBe(true);
    expect(recorded.presentedExact).toBe(false);
    expect(recorded.presented[0]?.sha1).toBe(chain.leaf.sha1);
    expect(recorded.verified.at(-1)?.sha1).toBe(chain.root.cert.sha1);
    expect(recorded.publiclyTrusted).toBe(true);
  });

  test('a server that accepts and never answers times out within the bound', async () => {
    // Prepare
    const server = stopLater(await startRawServer());
    const target = { host: HOST, port: 443, connectHost: '127.0.0.1', connectPort: server.port };
    const started = Date.now();

    // Act
    const outcome = probeTls(target, { timeoutMs: 300, trustStore: createTrustStore([]) });

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    const elapsed = Date.now() - started;
    // No upper bound on a shared machine: a probe that never timed out would fail on the test's own time-out.
    expect(elapsed).toBeGreaterThanOrEqual(290);
  });

  test('a server that resets mid-handshake fails fast with its error, not a time-out', async () => {
    // Prepare
    const server = stopLater(
      await startRawServer((socket) => socket.once('data', () => socket.resetAndDestroy())),
    );
    const target = { host: HOST, port: 443, connectHost: '127.0.0.1', connectPort: server.port };
    const started = Date.now();

    // Act
    const outcome = probeTls(target, { timeoutMs: 5000, trustStore: createTrustStore([]) });

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('a refused connection is reported with its code', async () => {
    // Prepare
    const server = await startRawServer();
    const { port } = server;
    await server.stop();

    // Act
    const outcome = probeTls(
      { host: HOST, port: 443, connectHost: '127.0.0.1', connectPort: port },
      { timeoutMs: 1000, trustStore: createTrustStore([]) },
    );

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
