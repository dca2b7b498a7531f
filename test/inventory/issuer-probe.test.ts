import type { IncomingMessage, ServerResponse } from 'node:http';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { parseConnectTo } from '../../src/config/connect-to.ts';
import { createIssuerProber, type ProbeOptions } from '../../src/inventory/issuer-probe.ts';
import { type IssuerHostSpec, type IssuerServers, startIssuerServers } from '../sandbox/issuers.ts';
import { createChain, type TestChain } from '../support/pki.ts';
import { stoppedAfterEach } from '../support/stopped-after-each.ts';
import { json, startHttpsServer, startTlsServer, type TestServer } from '../support/tls-server.ts';

const ID = [
  '0123456789ABCDEF0123456789ABCDE1',
  '0123456789ABCDEF0123456789ABCDE2',
  '0123456789ABCDEF0123456789ABCDE3',
];

const stopLater = stoppedAfterEach();

async function sandbox(specs: IssuerHostSpec[]): Promise<IssuerServers> {
  return stopLater(await startIssuerServers(specs));
}

function proberFor(servers: IssuerServers, options: ProbeOptions = {}) {
  return createIssuerProber({
    connectTo: servers.connectTo.map(parseConnectTo),
    trustedCAs: [servers.trustedCaPem],
    timeoutMs: 1000,
    ...options,
  });
}

function host(
  name: string,
  issuers: IssuerHostSpec['issuers'],
  profile: IssuerHostSpec['profile'] = {},
): IssuerHostSpec {
  return { host: name, profile, issuers };
}

describe('one connection per host', () => {
  test('several issuers on one host share exactly one TLS connection', async () => {
    // Prepare
    const servers = await sandbox([
      host(
        'oidc.eks.us-east-1.amazonaws.com',
        ID.map((id) => ({ path: `/id/${id}` })),
      ),
    ]);
    const issuers = ID.map((id) => `https://oidc.eks.us-east-1.amazonaws.com/id/${id}`);

    // Act
    const result = await proberFor(servers).probe(issuers);

    // Assess
    expect(servers.connections('oidc.eks.us-east-1.amazonaws.com')).toBe(1);
    expect(servers.requests('oidc.eks.us-east-1.amazonaws.com')).toBe(6);
    expect(result.hosts).toHaveLength(1);
    expect(result.hosts[0]?.chain?.publiclyTrusted).toBe(true);
    expect(result.issuers.map((issuer) => issuer.error)).toEqual([undefined, undefined, undefined]);
    expect(result.issuers[2]?.discovery).toEqual({ issuer: issuers[2], jwksUri: `${issuers[2]}/keys` });
  });

  test('a JWKS host shared by two issuer hosts is probed once and recorded as a host', async () => {
    // Prepare
    const keys = (id: string) => `https://keys.example/id/${id}/keys`;
    const servers = await sandbox([
      host('a.example', [{ path: `/id/${ID[0]}`, jwksUri: keys(ID[0] ?? '') }]),
      host('b.example', [{ path: `/id/${ID[1]}`, jwksUri: keys(ID[1] ?? '') }]),
      host('keys.example', [{ path: `/id/${ID[0]}` }, { path: `/id/${ID[1]}` }], { crossSigned: true }),
    ]);

    // Act
    const result = await proberFor(servers).probe([
      `https://a.example/id/${ID[0]}`,
      `https://b.example/id/${ID[1]}`,
    ]);

    // Assess
    expect(servers.connections('keys.example')).toBe(1);
    expect(servers.requests('keys.example')).toBe(2);
    expect(result.issuers.map((issuer) => [issuer.jwksHost, issuer.error])).toEqual([
      ['keys.example', undefined],
      ['keys.example', undefined],
    ]);
    const keysHost = result.hosts.filter((probe) => probe.host === 'keys.example');
    expect(keysHost).toHaveLength(1);
    expect(keysHost[0]?.chain?.presented.map((cert) => cert.sha1)).toEqual(
      servers.chain('keys.example').presentedSha1,
    );
  });

  test('a host that is both an issuer host and another issuer’s JWKS host keeps its one connection', async () => {
    // Prepare
    const servers = await sandbox([
      host('a.example', [{ path: '/id/A', jwksUri: 'https://b.example/id/B/keys' }]),
      host('b.example', [{ path: '/id/B' }]),
    ]);

    // Act
    const result = await proberFor(servers).probe(['https://a.example/id/A', 'https://b.example/id/B']);

    // Assess
    expect(result.issuers.map((issuer) => issuer.error)).toEqual([undefined, undefined]);
    expect(servers.connections('b.example')).toBe(1);
    expect(servers.requests('b.example')).toBe(3);
    expect(result.hosts.map((probe) => probe.host).sort()).toEqual(['a.example', 'b.example']);
  });
});

describe('what the probe records', () => {
  test('--connect-to: TCP goes to the mapped address, SNI and name checks use the issuer host', async () => {
    // Prepare
    const servers = await sandbox([host('oidc.eks.eu-west-1.amazonaws.com', [{ path: `/id/${ID[0]}` }])]);
    const mapping = servers.connectTo[0] ?? '';

    // Act
    const result = await proberFor(servers).probe([`https://oidc.eks.eu-west-1.amazonaws.com/id/${ID[0]}`]);

    // Assess
    expect(mapping).toMatch(/^oidc\.eks\.eu-west-1\.amazonaws\.com:443:127\.0\.0\.1:\d+$/);
    const chain = result.hosts[0]?.chain;
    expect(chain?.host).toBe('oidc.eks.eu-west-1.amazonaws.com');
    expect(chain?.publiclyTrusted).toBe(true);
    expect(chain?.presented.map((cert) => cert.sha1)).toEqual(
      servers.chain('oidc.eks.eu-west-1.amazonaws.com').presentedSha1,
    );
    expect(result.issuers[0]?.error).toBeUndefined();
  });

  test('a discovery document naming another issuer is ISSUER_MISMATCH, naming both', async () => {
    // Prepare
    const servers = await sandbox([
      host('a.example', [{ path: '/id/A', discoveryIssuer: 'https://elsewhere.example/id/Z' }]),
    ]);

    // Act
    const result = await proberFor(servers).probe(['https://a.example/id/A']);

    // Assess
    const issuer = result.issuers[0];
    expect(issuer?.error).toMatchObject({ stage: 'discovery', code: 'ISSUER_MISMATCH' });
    expect(issuer?.error?.message).toContain('https://a.example/id/A');
    expect(issuer?.error?.message).toContain('https://elsewhere.example/id/Z');
    expect(issuer?.discovery?.issuer).toBe('https://elsewhere.example/id/Z');
  });

  test('one trailing slash on either side is not a mismatch', async () => {
    // Prepare
    const servers = await sandbox([
      host('a.example', [{ path: '/id/A', discoveryIssuer: 'https://a.example/id/A/' }]),
    ]);

    // Act
    const result = await proberFor(servers).probe(['https://a.example/id/A']);

    // Assess
    expect(result.issuers[0]?.error).toBeUndefined();
  });

  test('an untrusted private root is recorded as not publicly trusted, and discovery is still read', async () => {
    // Prepare
    const servers = await sandbox([
      host('private.example', [{ path: '/id/P' }], { trusted: false, sendRoot: true }),
    ]);

    // Act
    const result = await proberFor(servers).probe(['https://private.example/id/P']);

    // Assess
    expect(result.hosts[0]?.chain).toMatchObject({
      publiclyTrusted: false,
      trustError: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    expect(result.hosts[0]?.chain?.presented.at(-1)?.sha1).toBe(servers.chain('private.example').rootSha1);
    expect(result.issuers[0]?.discovery?.issuer).toBe('https://private.example/id/P');
  });

  test('https on 443 only: other schemes and ports are UNSUPPORTED_URL and open no connection', async () => {
    // Prepare
    const prober = createIssuerProber({ timeoutMs: 500 });

    // Act
    const result = await prober.probe(['http://a.example/id/A', 'https://a.example:8443/id/A', 'not a url']);

    // Assess
    expect(result.hosts).toEqual([]);
    expect(result.issuers.map((issuer) => issuer.error?.code)).toEqual(Array(3).fill('UNSUPPORTED_URL'));
    expect(result.issuers.map((issuer) => issuer.host)).toEqual(['a.example', 'a.example', '']);
  });

  test('a jwks_uri that is not https on 443 is UNSUPPORTED_URL at the jwks stage', async () => {
    // Prepare
    const servers = await sandbox([
      host('a.example', [{ path: '/id/A', jwksUri: 'http://a.example/id/A/keys' }]),
    ]);

    // Act
    const result = await proberFor(servers).probe(['https://a.example/id/A']);

    // Assess
    expect(result.issuers[0]?.error).toMatchObject({ stage: 'jwks', code: 'UNSUPPORTED_URL' });
    expect(servers.requests('a.example')).toBe(1);
  });
});

describe('probing while the inventory goes on', () => {
  test('issuers fed one by one, some after their host was read, still share one connection per host', async () => {
    // Prepare
    const servers = await sandbox([
      host('oidc.eks.us-east-1.amazonaws.com', [{ path: `/id/${ID[0]}` }, { path: `/id/${ID[2]}` }]),
      host('oidc.eks.eu-west-1.amazonaws.com', [{ path: `/id/${ID[1]}` }]),
    ]);
    const east = (id: string | undefined) => `https://oidc.eks.us-east-1.amazonaws.com/id/${id}`;
    const west = `https://oidc.eks.eu-west-1.amazonaws.com/id/${ID[1]}`;
    const run = proberFor(servers).start();

    // Act: the second east issuer arrives after the first was read
    run.add(east(ID[2]));
    run.add(west);
    await vi.waitFor(() => expect(servers.requests('oidc.eks.us-east-1.amazonaws.com')).toBe(2));
    run.add(east(ID[0]));
    run.add(east(ID[2]));
    const result = await run.finish();

    // Assess: sorted by issuer and host whatever the order of arrival; no issuer read twice
    expect(result.issuers.map((probe) => [probe.issuer, probe.error])).toEqual([
      [west, undefined],
      [east(ID[0]), undefined],
      [east(ID[2]), undefined],
    ]);
    expect(result.hosts.map((probe) => probe.host)).toEqual([
      'oidc.eks.eu-west-1.amazonaws.com',
      'oidc.eks.us-east-1.amazonaws.com',
    ]);
    expect(servers.connections('oidc.eks.us-east-1.amazonaws.com')).toBe(1);
    expect(servers.requests('oidc.eks.us-east-1.amazonaws.com')).toBe(4);
  });

  test('stop: reads in flight finish, queued issuers are left out and their hosts never opened', async () => {
    // Prepare: one slot, taken by a host that never answers
    const servers = await sandbox([
      host('hang.example', [{ path: '/id/H' }], { hang: true }),
      host('ok.example', [{ path: '/id/O' }]),
    ]);
    const run = proberFor(servers, { timeoutMs: 300, concurrency: 1 }).start();
    run.add('https://hang.example/id/H');
    run.add('https://ok.example/id/O');
    await vi.waitFor(() => expect(servers.connections('hang.example')).toBe(1));

    // Act
    run.stop();
    run.add('https://ok.example/id/late');
    const result = await run.finish();

    // Assess
    expect(result.issuers.map((probe) => [probe.issuer, probe.error?.code])).toEqual([
      ['https://hang.example/id/H', 'ETIMEDOUT'],
    ]);
    expect(result.hosts.map((probe) => probe.host)).toEqual(['hang.example']);
    expect(servers.connections('ok.example')).toBe(0);
  });
});

describe('failures stay bounded and local', () => {
  test('a host that accepts and never answers times out within the bound; the others are unaffected', async () => {
    // Prepare
    const servers = await sandbox([
      host('hang.example', [{ path: '/id/H' }], { hang: true }),
      host('ok.example', [{ path: '/id/O' }]),
    ]);
    const started = Date.now();

    // Act
    const result = await proberFor(servers, { timeoutMs: 400 }).probe([
      'https://hang.example/id/H',
      'https://ok.example/id/O',
    ]);

    // Assess
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(1500);
    const hang = result.hosts.find((probe) => probe.host === 'hang.example');
    expect(hang?.error).toMatchObject({ stage: 'tls', code: 'ETIMEDOUT' });
    expect(result.issuers[0]?.error).toMatchObject({ stage: 'tls', code: 'ETIMEDOUT' });
    expect(result.issuers[1]?.error).toBeUndefined();
    expect(servers.connections('hang.example')).toBe(1);
  });

  test('concurrency bounds the hosts probed at once', async () => {
    // Prepare
    const names = ['h1.example', 'h2.example', 'h3.example', 'h4.example'];
    const servers = await sandbox(names.map((name) => host(name, [{ path: '/id/H' }], { hang: true })));
    const started = Date.now();

    // Act
    await proberFor(servers, { timeoutMs: 250, concurrency: 2 }).probe(
      names.map((name) => `https://${name}/id/H`),
    );

    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(490);
  });

  test('an unknown host name fails on its own without stopping the probe', async () => {
    // Prepare
    const servers = await sandbox([host('ok.example', [{ path: '/id/O' }])]);
    const prober = createIssuerProber({
      connectTo: [...servers.connectTo.map(parseConnectTo), parseConnectTo('gone.example:443:127.0.0.1:1')],
      trustedCAs: [servers.trustedCaPem],
      timeoutMs: 1000,
    });

    // Act
    const result = await prober.probe(['https://gone.example/id/G', 'https://ok.example/id/O']);

    // Assess
    expect(result.issuers[0]?.error).toMatchObject({ stage: 'tls', code: 'ECONNREFUSED' });
    expect(result.issuers[1]?.error).toBeUndefined();
  });

  test('leaves no connection or timer behind', async () => {
    // Prepare
    const timersBefore = liveTimers();
    const servers = await sandbox([
      host('a.example', [{ path: '/id/A' }, { path: '/id/B' }]),
      host('hang.example', [{ path: '/id/H' }], { hang: true }),
    ]);

    // Act
    await proberFor(servers, { timeoutMs: 200 }).probe([
      'https://a.example/id/A',
      'https://a.example/id/B',
      'https://hang.example/id/H',
    ]);
    const timersAfter = liveTimers();

    // Assess
    expect(timersAfter).toBeLessThanOrEqual(timersBefore);
    const open = () => servers.openConnections('a.example') + servers.openConnections('hang.example');
    await vi.waitFor(() => expect(open()).toBe(0), { timeout: 1000, interval: 20 });
  });
});

describe('HTTP responses the sandbox does not give', () => {
  const NAME = 'odd.example';
  let chain: TestChain;
  beforeAll(async () => {
    chain = await createChain({ dnsNames: [NAME] });
  });

  async function serveOdd(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
    return stopLater(await startHttpsServer(chain, handler));
  }

  function oddProber(server: TestServer, options: ProbeOptions = {}) {
    return createIssuerProber({
      connectTo: [parseConnectTo(`${NAME}:443:127.0.0.1:${server.port}`)],
      trustedCAs: chain.trustedPems,
      timeoutMs: 1000,
      ...options,
    });
  }

  function discoveryOrKeys(keys: unknown) {
    return (req: IncomingMessage, res: ServerResponse, extraHeaders: Record<string, string> = {}) => {
      const issuer = `https://${NAME}${(req.url ?? '').replace(/\/(\.well-known\/openid-configuration|keys)$/, '')}`;
      if (req.url?.endsWith('/keys')) return json(res, 200, keys, extraHeaders);
      json(res, 200, { issuer, jwks_uri: `${issuer}/keys` }, extraHeaders);
    };
  }

  test('a redirect is not followed: HTTP_302 naming the target', async () => {
    // Prepare
    const server = await serveOdd((_req, res) => {
      res.writeHead(302, { location: 'https://elsewhere.example/', 'content-length': 0 });
      res.end();
    });

    // Act
    const result = await oddProber(server).probe([`https://${NAME}/id/R`]);

    // Assess
    expect(result.issuers[0]?.error).toMatchObject({ stage: 'discovery', code: 'HTTP_302' });
    expect(result.issuers[0]?.error?.message).toContain('https://elsewhere.example/');
  });

  test('a body over maxBodyBytes is BODY_TOO_LARGE', async () => {
    // Prepare
    const server = await serveOdd((_req, res) => json(res, 200, { padding: 'x'.repeat(8192) }));

    // Act
    const result = await oddProber(server, { maxBodyBytes: 1024 }).probe([`https://${NAME}/id/B`]);

    // Assess
    expect(result.issuers[0]?.error).toMatchObject({ stage: 'discovery', code: 'BODY_TOO_LARGE' });
  });

  test('a JWKS without keys is NO_KEYS at the jwks stage; a body that is not JSON is INVALID_JSON', async () => {
    // Prepare
    const handler = discoveryOrKeys({ keys: [] });
    const server = await serveOdd((req, res) => {
      if (req.url?.startsWith('/id/J/')) return handler(req, res);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>');
    });

    // Act
    const result = await oddProber(server).probe([`https://${NAME}/id/J`, `https://${NAME}/id/X`]);

    // Assess
    expect(result.issuers[0]?.error).toMatchObject({ stage: 'jwks', code: 'NO_KEYS' });
    expect(result.issuers[1]?.error).toMatchObject({ stage: 'discovery', code: 'INVALID_JSON' });
  });

  test('a connection dropped mid-response is ECONNRESET for that issuer only', async () => {
    // Prepare
    const handler = discoveryOrKeys({ keys: [{ kty: 'EC' }] });
    const server = await serveOdd((req, res) => {
      if (!req.url?.startsWith('/id/CUT/')) return handler(req, res);
      res.writeHead(200, { 'content-length': 1000 });
      res.write('{"issuer":');
      setTimeout(() => res.socket?.destroy(), 20);
    });

    // Act
    const result = await oddProber(server).probe([`https://${NAME}/id/CUT`, `https://${NAME}/id/OK`]);

    // Assess
    expect(result.issuers[0]?.error).toMatchObject({ stage: 'discovery', code: 'ECONNRESET' });
    expect(result.issuers[1]?.error).toBeUndefined();
  });

  test('a server that closes after each response is reconnected to', async () => {
    // Prepare
    const handler = discoveryOrKeys({ keys: [{ kty: 'EC' }] });
    const server = await serveOdd((req, res) => handler(req, res, { connection: 'close' }));

    // Act
    const result = await oddProber(server).probe([`https://${NAME}/id/A`, `https://${NAME}/id/B`]);

    // Assess
    expect(result.issuers.map((issuer) => issuer.error)).toEqual([undefined, undefined]);
    expect(server.connections()).toBe(4);
  });

  test('a server that completes TLS but never answers HTTP times out, and later requests fail fast', async () => {
    // Prepare
    const server = stopLater(await startTlsServer(chain));
    const started = Date.now();

    // Act
    const result = await oddProber(server, { timeoutMs: 300 }).probe([
      `https://${NAME}/id/A`,
      `https://${NAME}/id/B`,
    ]);

    // Assess
    expect(result.issuers.map((issuer) => issuer.error?.code)).toEqual(['ETIMEDOUT', 'ETIMEDOUT']);
    expect(result.hosts[0]?.chain?.publiclyTrusted).toBe(true);
    expect(Date.now() - started).toBeLessThan(900);
  });
});

function liveTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}
