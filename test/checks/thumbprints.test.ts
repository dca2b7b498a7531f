import { describe, expect, it } from 'vitest';
import { checkThumbprints } from '../../src/checks/thumbprints.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import type { HostProbe, IssuerProbe, OidcProvider } from '../../src/model/inventory.ts';
import {
  aCert,
  aCluster,
  aContext,
  aHostProbe,
  aLeafCert,
  amazonRootCa1,
  amazonRootCa1CrossSigned,
  amazonRsa2048M02,
  anInventory,
  anIssuerProbe,
  aPrivateTlsChain,
  aProbeError,
  aProvider,
  aTlsChain,
  eksIssuerHost,
  REGION,
  starfieldServicesRootCrossSigned,
} from '../support/inventory.ts';

const cluster = aCluster();
const issuerHost = eksIssuerHost();
const keysHost = 'keys.oidc.example.com';
const stale = aCert({ subject: 'CN=Retired CA' }).sha1;

interface Setup {
  provider: OidcProvider;
  hosts?: HostProbe[];
  issuers?: IssuerProbe[];
}

function findings({ provider, hosts = [aHostProbe()], issuers = [anIssuerProbe()] }: Setup, check: string) {
  const inventory = anInventory({ clusters: [cluster], providers: [provider], hosts, issuers });
  return checkThumbprints(deriveFacts(inventory), aContext()).filter((finding) => finding.check === check);
}

/** Colon-separated uppercase, as people paste from a browser or `openssl x509 -fingerprint`. */
function asPasted(sha1: string): string {
  return (sha1.toUpperCase().match(/../g) ?? []).join(':');
}

describe('thumbprint-mismatch', () => {
  it("OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint: publicly trusted chain is low", () => {
    // Prepare
    const provider = aProvider({ cluster, thumbprints: [stale] });

    // Act
    const result = findings({ provider }, 'thumbprint-mismatch');

    // Assess
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({
      severity: 'low',
      resource: provider.arn,
      region: REGION,
      cluster: 'prod',
    });
    expect(result[0]?.message).toContain(
      "InvalidIdentityToken: OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint",
    );
    expect(result[0]?.message).toContain('publicly trusted');
    expect(result[0]?.remediation).toBe(
      `aws iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn ${provider.arn} --thumbprint-list ${starfieldServicesRootCrossSigned().sha1}`,
    );
    expect(result[0]?.evidence).toMatchObject({
      configured: [stale],
      lastPresented: { host: issuerHost, sha1: starfieldServicesRootCrossSigned().sha1 },
      publiclyTrusted: { [issuerHost]: true },
    });
    expect(result[0]?.evidence.candidates).toContainEqual({
      sha1: amazonRsa2048M02().sha1,
      subject: amazonRsa2048M02().subject,
      seen: [`presented[1]@${issuerHost}`, `verified[1]@${issuerHost}`],
    });
  });

  it.each([
    {
      name: 'issuer host behind a private CA',
      hosts: [aHostProbe({ chain: aPrivateTlsChain(issuerHost) })],
      issuers: [anIssuerProbe()],
      reason: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    },
    {
      name: 'keys host behind a private CA, issuer host public',
      hosts: [aHostProbe(), aHostProbe({ host: keysHost, chain: aPrivateTlsChain(keysHost) })],
      issuers: [anIssuerProbe({ keysOn: keysHost })],
      reason: `${keysHost} is not publicly trusted`,
    },
    {
      name: 'publicly trusted issuer host reachable over TLS 1.3 only',
      hosts: [aHostProbe({ chain: aTlsChain({ tls13Only: true, presentedExact: false }) })],
      issuers: [anIssuerProbe()],
      reason: 'TLS 1.3 only',
    },
  ])(
    "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint: $name is high",
    ({ hosts, issuers, reason }) => {
      // Prepare
      const provider = aProvider({ cluster, thumbprints: [stale] });

      // Act
      const result = findings({ provider, hosts, issuers }, 'thumbprint-mismatch');

      // Assess
      expect(result).toHaveLength(1);
      expect(result[0]?.severity).toBe('high');
      expect(result[0]?.message).toContain(reason);
    },
  );

  it('proposes the last certificate of the keys host when discovery points there', () => {
    // Prepare
    const keysChain = aPrivateTlsChain(keysHost);
    const provider = aProvider({ cluster, thumbprints: [stale] });
    const hosts = [aHostProbe(), aHostProbe({ host: keysHost, chain: keysChain })];

    // Act
    const [finding] = findings(
      { provider, hosts, issuers: [anIssuerProbe({ keysOn: keysHost })] },
      'thumbprint-mismatch',
    );

    // Assess
    expect(finding?.evidence.lastPresented).toMatchObject({
      host: keysHost,
      sha1: keysChain.presented.at(-1)?.sha1,
    });
  });

  it('proposes the top verified CA when the server presents its leaf alone (a leaf thumbprint rotates yearly)', () => {
    // Prepare
    const provider = aProvider({ cluster, thumbprints: [aLeafCert().sha1] });
    const chain = aTlsChain({ presented: [aLeafCert()], presentedExact: false });

    // Act
    const [finding] = findings({ provider, hosts: [aHostProbe({ chain })] }, 'thumbprint-mismatch');

    // Assess
    expect(finding?.remediation).toMatch(new RegExp(`--thumbprint-list ${amazonRootCa1().sha1}$`));
  });

  it.each([
    {
      name: 'the last presented certificate (eksctl, Terraform)',
      thumbprints: [starfieldServicesRootCrossSigned().sha1],
    },
    { name: 'uppercase with colons', thumbprints: [asPasted(starfieldServicesRootCrossSigned().sha1)] },
    { name: 'the intermediate', thumbprints: [amazonRsa2048M02().sha1] },
    { name: 'a stale one next to a fresh one', thumbprints: [stale, amazonRootCa1CrossSigned().sha1] },
    { name: 'empty: AWS fills the list in itself', thumbprints: [] },
  ])('is quiet when the thumbprints are $name', ({ thumbprints }) => {
    // Prepare
    const provider = aProvider({ cluster, thumbprints });

    // Act
    const result = findings({ provider }, 'thumbprint-mismatch');

    // Assess
    expect(result).toEqual([]);
  });

  it('is quiet on a match with the cross-signed root seen only in the verified chain (AWS CDK)', () => {
    // Prepare
    const chain = aTlsChain({
      presented: [aLeafCert(), amazonRsa2048M02(), amazonRootCa1CrossSigned()],
      verified: [aLeafCert(), amazonRsa2048M02(), amazonRootCa1()],
    });
    const provider = aProvider({ cluster, thumbprints: [amazonRootCa1().sha1] });

    // Act
    const result = findings({ provider, hosts: [aHostProbe({ chain })] }, 'thumbprint-mismatch');

    // Assess
    expect(result).toEqual([]);
  });

  it('is quiet on a match with a CA of the keys host chain', () => {
    // Prepare
    const keysChain = aPrivateTlsChain(keysHost);
    const keysCa = keysChain.presented.at(-1)?.sha1 ?? '';
    const provider = aProvider({ cluster, thumbprints: [keysCa] });
    const hosts = [aHostProbe(), aHostProbe({ host: keysHost, chain: keysChain })];

    // Act
    const result = findings(
      { provider, hosts, issuers: [anIssuerProbe({ keysOn: keysHost })] },
      'thumbprint-mismatch',
    );

    // Assess
    expect(result).toEqual([]);
  });

  it.each([
    {
      name: 'the issuer host could not be probed',
      hosts: [aHostProbe({ error: aProbeError() })],
      issuers: [anIssuerProbe()],
    },
    { name: 'the issuer host was not probed at all', hosts: [], issuers: [] },
    {
      name: 'the keys host was not read, so the thumbprint may be its',
      hosts: [aHostProbe(), aHostProbe({ host: keysHost, error: aProbeError() })],
      issuers: [anIssuerProbe({ keysOn: keysHost })],
    },
  ])('does not judge when $name', ({ hosts, issuers }) => {
    // Prepare
    const provider = aProvider({ cluster, thumbprints: [stale] });

    // Act
    const result = findings({ provider, hosts, issuers }, 'thumbprint-mismatch');

    // Assess
    expect(result).toEqual([]);
  });

  it('does not count the leaf as a match', () => {
    // Prepare
    const provider = aProvider({ cluster, thumbprints: [aLeafCert().sha1] });

    // Act
    const result = findings({ provider }, 'thumbprint-mismatch');

    // Assess
    expect(result).toHaveLength(1);
  });
});

describe('thumbprint-slots-full', () => {
  const retired = ['A', 'B', 'C'].map((name) => aCert({ subject: `CN=Retired CA ${name}` }).sha1);

  it('flags 5 of 5 and keeps only the thumbprints in use, leaving a slot free', () => {
    // Prepare
    const current = amazonRsa2048M02().sha1;
    const provider = aProvider({ cluster, thumbprints: [...retired, current, stale] });

    // Act
    const result = findings({ provider }, 'thumbprint-slots-full');

    // Assess
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ severity: 'low', resource: provider.arn, cluster: 'prod' });
    expect(result[0]?.message).toContain('5 of 5');
    expect(result[0]?.remediation).toBe(
      `aws iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn ${provider.arn} --thumbprint-list ${starfieldServicesRootCrossSigned().sha1} ${current}`,
    );
  });

  it('explains how to find the thumbprints in use when the chain was not read', () => {
    // Prepare
    const provider = aProvider({ cluster, thumbprints: [...retired, amazonRsa2048M02().sha1, stale] });

    // Act
    const [finding] = findings(
      { provider, hosts: [aHostProbe({ error: aProbeError() })] },
      'thumbprint-slots-full',
    );

    // Assess
    expect(finding?.remediation).toContain(
      `openssl s_client -connect ${issuerHost}:443 -servername ${issuerHost} -showcerts`,
    );
  });

  it.each([
    { name: '4 thumbprints', thumbprints: [...retired, stale] },
    {
      name: 'the same thumbprint in two spellings, 4 distinct',
      thumbprints: [...retired, stale, asPasted(stale)],
    },
    { name: 'no thumbprints', thumbprints: [] },
  ])('is quiet with $name', ({ thumbprints }) => {
    // Prepare
    const provider = aProvider({ cluster, thumbprints });

    // Act
    const result = findings({ provider }, 'thumbprint-slots-full');

    // Assess
    expect(result).toEqual([]);
  });
});
