import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { GetOpenIDConnectProviderCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from './server.ts';
import { CALLER_ID, callerAccount, cluster, provider, world } from './world-builders.ts';

const EAST = 'oidc.eks.us-east-1.amazonaws.com';
const WEST = 'oidc.eks.eu-west-1.amazonaws.com';
const EAST_ID = '11111111111111111111111111111111';
const WEST_ID = '22222222222222222222222222222222';

function issuerWorld() {
  return world(
    [
      callerAccount({
        clusters: [
          cluster('east', 'us-east-1', { issuer: EAST_ID }),
          cluster('west', 'eu-west-1', { issuer: WEST_ID }),
        ],
        oidcProviders: [
          provider(`${EAST}/id/${EAST_ID}`, {
            thumbprints: [
              { fromIssuerHost: EAST, cert: 'last-presented' },
              { fromIssuerHost: EAST, cert: 'root' },
              'ffffffffffffffffffffffffffffffffffffffff',
            ],
          }),
        ],
      }),
    ],
    {
      issuerHosts: [
        {
          host: WEST,
          profile: { trusted: false },
          issuers: [{ id: WEST_ID, discoveryIssuer: 'https://somewhere.else/id/X' }],
        },
      ],
      faults: { hangingIssuerHosts: ['oidc.eks.ap-south-1.amazonaws.com'] },
    },
  );
}

/** GET over TLS to an issuer host through its connect-to mapping, verifying against `ca` (null: no verification). */
function getJson(
  s: Sandbox,
  host: string,
  path: string,
  ca: string | null,
): Promise<{ status: number; body: unknown }> {
  const mapping = s.connectTo.find((m) => m.startsWith(`${host}:443:`)) ?? '';
  const port = Number(mapping.split(':')[3]);
  return new Promise((resolve, reject) => {
    const trust = ca === null ? { rejectUnauthorized: false } : { ca };
    const req = request(
      { host: '127.0.0.1', port, servername: host, path, timeout: 5000, ...trust },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

describe('sandbox issuer hosts', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox(issuerWorld());
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('serves one host per cluster region plus declared and hanging hosts, mapped by connect-to', () => {
    // Prepare: the world above.

    // Act
    const hosts = sandbox.connectTo.map((m) => m.split(':')[0]);

    // Assess
    expect(hosts).toEqual(['oidc.eks.ap-south-1.amazonaws.com', WEST, EAST]);
    expect(sandbox.connectTo.every((m) => /^[a-z0-9.-]+:443:127\.0\.0\.1:\d+$/.test(m))).toBe(true);
    expect(sandbox.env.AUDIT_CONNECT_TO).toBe(sandbox.connectTo.join(','));
  });

  it('writes the trusted roots to the NODE_EXTRA_CA_CERTS file', async () => {
    // Prepare: the world above.

    // Act
    const pem = await readFile(sandbox.env.NODE_EXTRA_CA_CERTS ?? '', 'utf8');

    // Assess
    expect(pem).toBe(sandbox.trustedCaPem);
    expect(pem).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('resolves symbolic thumbprints against the chain the host presents', async () => {
    // Prepare
    const chain = sandbox.issuers?.chain(EAST);
    const iam = new IAMClient({ ...sandbox.clientConfig(), maxAttempts: 1 });

    // Act
    const got = await iam.send(
      new GetOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: `arn:aws:iam::${CALLER_ID}:oidc-provider/${EAST}/id/${EAST_ID}`,
      }),
    );

    // Assess
    expect(got.ThumbprintList).toEqual([
      chain?.presentedSha1.at(-1),
      chain?.rootSha1,
      'ffffffffffffffffffffffffffffffffffffffff',
    ]);
    expect(got.ThumbprintList?.[0]).toMatch(/^[0-9a-f]{40}$/);
  });

  it('serves each cluster discovery document, with the overrides the world declares', async () => {
    // Prepare
    const ca = sandbox.trustedCaPem;

    // Act
    const east = await getJson(sandbox, EAST, `/id/${EAST_ID}/.well-known/openid-configuration`, ca);
    const westVerified = await getJson(
      sandbox,
      WEST,
      `/id/${WEST_ID}/.well-known/openid-configuration`,
      ca,
    ).catch((e: unknown) => e);
    const west = await getJson(sandbox, WEST, `/id/${WEST_ID}/.well-known/openid-configuration`, null);

    // Assess
    expect(east.status).toBe(200);
    expect(east.body).toMatchObject({ issuer: sandbox.clusterIssuer(CALLER_ID, 'us-east-1', 'east') });
    expect(westVerified).toBeInstanceOf(Error);
    expect(west.body).toMatchObject({ issuer: 'https://somewhere.else/id/X' });
    expect(sandbox.issuers?.requests(EAST)).toBe(1);
  });
});
