import { request } from 'node:https';
import { connect } from 'node:net';
import { describe, expect, test } from 'vitest';
import { stoppedAfterEach } from '../support/stopped-after-each.ts';
import { type IssuerHostSpec, type IssuerServers, startIssuerServers } from './issuers.ts';

const stopLater = stoppedAfterEach();

async function start(specs: IssuerHostSpec[]): Promise<IssuerServers> {
  return stopLater(await startIssuerServers(specs));
}

function portOf(servers: IssuerServers, host: string): number {
  const mapping = servers.connectTo.find((entry) => entry.startsWith(`${host}:443:`)) ?? '';
  return Number(mapping.split(':')[3]);
}

/** GET over real TLS verification against the sandbox's trust bundle, as a client resolving `host` would. */
function get(servers: IssuerServers, host: string, path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: portOf(servers, host),
        servername: host,
        path,
        headers: { host },
        ca: servers.trustedCaPem,
        agent: false,
        timeout: 2000,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const ISSUER_PATH = '/id/0123456789ABCDEF0123456789ABCDEF';

describe('startIssuerServers', () => {
  test('serves the discovery document and JWKS of each issuer path, 404 otherwise', async () => {
    // Prepare
    const servers = await start([
      { host: 'oidc.eks.us-east-1.amazonaws.com', profile: {}, issuers: [{ path: ISSUER_PATH }] },
    ]);
    const issuer = `https://oidc.eks.us-east-1.amazonaws.com${ISSUER_PATH}`;

    // Act
    const discovery = await get(
      servers,
      'oidc.eks.us-east-1.amazonaws.com',
      `${ISSUER_PATH}/.well-known/openid-configuration`,
    );
    const keys = await get(servers, 'oidc.eks.us-east-1.amazonaws.com', `${ISSUER_PATH}/keys`);
    const missing = await get(servers, 'oidc.eks.us-east-1.amazonaws.com', '/id/OTHER/keys');

    // Assess
    expect(discovery).toMatchObject({ status: 200, body: { issuer, jwks_uri: `${issuer}/keys` } });
    expect(keys.status).toBe(200);
    expect((keys.body as { keys: unknown[] }).keys).toHaveLength(1);
    expect(missing.status).toBe(404);
    expect(servers.requests('oidc.eks.us-east-1.amazonaws.com')).toBe(3);
    expect(servers.connections('oidc.eks.us-east-1.amazonaws.com')).toBe(3);
  });

  test('claims the overridden issuer and jwks_uri', async () => {
    // Prepare
    const servers = await start([
      {
        host: 'a.example',
        profile: {},
        issuers: [
          { path: '/id/A', discoveryIssuer: 'https://b.example/id/B', jwksUri: 'https://keys.example/k' },
        ],
      },
    ]);

    // Act
    const discovery = await get(servers, 'a.example', '/id/A/.well-known/openid-configuration');

    // Assess
    expect(discovery.body).toMatchObject({
      issuer: 'https://b.example/id/B',
      jwks_uri: 'https://keys.example/k',
    });
  });

  test('maps each host to its own loopback port', async () => {
    // Prepare
    const specs = ['a.example', 'b.example'].map((host) => ({ host, profile: {}, issuers: [] }));

    // Act
    const servers = await start(specs);

    // Assess
    expect(servers.connectTo).toHaveLength(2);
    for (const entry of servers.connectTo) expect(entry).toMatch(/^[ab]\.example:443:127\.0\.0\.1:\d+$/);
    expect(portOf(servers, 'a.example')).not.toBe(portOf(servers, 'b.example'));
  });
});

describe('chains', () => {
  test('hosts with the same profile share a root; trusted and untrusted profiles do not', async () => {
    // Prepare
    const specs: IssuerHostSpec[] = [
      { host: 'a.example', profile: { intermediateNotAfter: '+20d' }, issuers: [] },
      { host: 'b.example', profile: { intermediateNotAfter: '+20d' }, issuers: [] },
      { host: 'c.example', profile: { intermediateNotAfter: '+20d', trusted: false }, issuers: [] },
    ];

    // Act
    const servers = await start(specs);

    // Assess
    expect(servers.chain('a.example').rootSha1).toBe(servers.chain('b.example').rootSha1);
    expect(servers.chain('c.example').rootSha1).not.toBe(servers.chain('a.example').rootSha1);
    expect(servers.trustedCaPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
  });

  test('sendRoot puts the root last; a cross-signed chain ends on a certificate other than the root', async () => {
    // Prepare
    const specs: IssuerHostSpec[] = [
      { host: 'plain.example', profile: {}, issuers: [] },
      { host: 'rooted.example', profile: { sendRoot: true }, issuers: [] },
      { host: 'cross.example', profile: { crossSigned: true }, issuers: [] },
    ];

    // Act
    const servers = await start(specs);

    // Assess
    expect(servers.chain('plain.example').presentedSha1).toHaveLength(2);
    const rooted = servers.chain('rooted.example');
    expect(rooted.presentedSha1.at(-1)).toBe(rooted.rootSha1);
    const cross = servers.chain('cross.example');
    expect(cross.presentedSha1).toHaveLength(3);
    expect(cross.presentedSha1.at(-1)).not.toBe(cross.rootSha1);
  });

  test('an untrusted profile fails verification against the trust bundle', async () => {
    // Prepare
    const servers = await start([
      { host: 'private.example', profile: { trusted: false }, issuers: [{ path: '/id/P' }] },
    ]);

    // Act
    const outcome = get(servers, 'private.example', '/id/P/keys');

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' });
  });

  test('twenty hosts start quickly', async () => {
    // Prepare
    const specs = Array.from({ length: 20 }, (_, i) => ({
      host: `oidc.eks.region-${i}.example`,
      profile: { crossSigned: i % 2 === 0 },
      issuers: [{ path: ISSUER_PATH }],
    }));
    const started = Date.now();

    // Act
    const servers = await start(specs);

    // Assess
    expect(servers.connectTo).toHaveLength(20);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('hanging hosts', () => {
  test('accept TCP, never answer, and stop cleanly with the connection still open', async () => {
    // Prepare
    const servers = await startIssuerServers([
      { host: 'hang.example', profile: { hang: true }, issuers: [] },
    ]);
    const socket = connect(portOf(servers, 'hang.example'), '127.0.0.1');
    socket.on('error', () => {});
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET / HTTP/1.1\r\nhost: hang.example\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 150));

    // Act
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await servers.stop();

    // Assess
    await closed;
    expect(received).toBe(0);
    expect(servers.connections('hang.example')).toBe(1);
    expect(servers.chain('hang.example')).toEqual({ presentedSha1: [], rootSha1: '' });
  });
});
