import { describe, expect, it } from 'vitest';
import { checkIssuers } from '../../src/checks/issuers.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import type { HostProbe, IssuerProbe } from '../../src/model/inventory.ts';
import {
  aCluster,
  aContext,
  aHostProbe,
  anInventory,
  anIssuerProbe,
  aProbeError,
  eksIssuer,
  eksIssuerHost,
  REGION,
} from '../support/inventory.ts';

const cluster = aCluster();
const keysHost = 'keys.oidc.example.com';

function run(hosts: HostProbe[], issuers: IssuerProbe[]) {
  return checkIssuers(deriveFacts(anInventory({ clusters: [cluster], hosts, issuers })), aContext());
}

describe('issuer-unreachable', () => {
  it.each([
    {
      name: 'TLS to the issuer host timed out',
      hosts: [
        aHostProbe({
          error: aProbeError({ code: 'ETIMEDOUT', message: 'connect ETIMEDOUT 52.95.110.1:443' }),
        }),
      ],
      issuers: [
        anIssuerProbe({
          error: aProbeError({ stage: 'discovery', code: 'ETIMEDOUT', message: 'not attempted' }),
        }),
      ],
      code: 'ETIMEDOUT',
    },
    {
      name: 'the discovery document is missing',
      hosts: [aHostProbe()],
      issuers: [
        anIssuerProbe({ error: aProbeError({ stage: 'discovery', code: 'HTTP_404', message: 'Not Found' }) }),
      ],
      code: 'HTTP_404',
    },
    {
      name: 'the discovery document names another issuer',
      hosts: [aHostProbe()],
      issuers: [
        anIssuerProbe({
          error: aProbeError({
            stage: 'discovery',
            code: 'ISSUER_MISMATCH',
            message: `names ${eksIssuer(REGION, 'OTHER')}`,
          }),
        }),
      ],
      code: 'ISSUER_MISMATCH',
    },
    {
      name: 'the keys host refused the connection',
      hosts: [
        aHostProbe(),
        aHostProbe({ host: keysHost, error: aProbeError({ code: 'ECONNREFUSED', message: 'refused' }) }),
      ],
      issuers: [anIssuerProbe({ keysOn: keysHost })],
      code: 'ECONNREFUSED',
    },
  ])("Couldn't retrieve verification key from your identity provider: $name", ({ hosts, issuers, code }) => {
    // Act
    const result = run(hosts, issuers);

    // Assess
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({
      check: 'issuer-unreachable',
      severity: 'medium',
      resource: cluster.arn,
      region: REGION,
      cluster: 'prod',
    });
    expect(result[0]?.message).toContain(
      "InvalidIdentityToken: Couldn't retrieve verification key from your identity provider",
    );
    expect(result[0]?.message).toContain(code);
    expect(result[0]?.remediation).toContain(`curl -sS ${cluster.issuer}/.well-known/openid-configuration`);
  });

  it('keeps every probe error as evidence, host errors first', () => {
    // Prepare
    const tls = aProbeError({ code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' });
    const discovery = aProbeError({
      stage: 'discovery',
      code: 'CERT_HAS_EXPIRED',
      message: 'certificate has expired',
    });

    // Act
    const [finding] = run([aHostProbe({ error: tls })], [anIssuerProbe({ error: discovery })]);

    // Assess
    expect(finding?.evidence.found).toEqual([
      { where: `issuer host ${eksIssuerHost()}`, ...tls },
      { where: `discovery of ${cluster.issuer}`, ...discovery },
    ]);
  });

  it.each([
    { name: 'every probe succeeded', hosts: [aHostProbe()], issuers: [anIssuerProbe()], clusters: [cluster] },
    {
      name: 'the keys host on another host succeeded too',
      hosts: [aHostProbe(), aHostProbe({ host: keysHost })],
      issuers: [anIssuerProbe({ keysOn: keysHost })],
      clusters: [cluster],
    },
    {
      name: 'the failing host serves no cluster of the inventory',
      hosts: [aHostProbe({ host: eksIssuerHost('eu-west-1'), error: aProbeError() })],
      issuers: [],
      clusters: [cluster],
    },
    {
      name: 'the cluster has no issuer',
      hosts: [aHostProbe({ error: aProbeError() })],
      issuers: [],
      clusters: [aCluster({ issuer: null })],
    },
  ])('is quiet when $name', ({ hosts, issuers, clusters }) => {
    // Act
    const result = checkIssuers(deriveFacts(anInventory({ clusters, hosts, issuers })), aContext());

    // Assess
    expect(result).toEqual([]);
  });
});
