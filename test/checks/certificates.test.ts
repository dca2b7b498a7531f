import { describe, expect, it } from 'vitest';
import { checkCertificates } from '../../src/checks/certificates.ts';
import type { CheckContext } from '../../src/checks/types.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import type { CertificateInfo, TlsChain } from '../../src/model/inventory.ts';
import {
  aCluster,
  aContext,
  aHostProbe,
  aLeafCert,
  amazonRootCa1,
  amazonRsa2048M02,
  anInventory,
  anIssuerProbe,
  aPrivateTlsChain,
  aProbeError,
  aProvider,
  aTlsChain,
  daysFromNow,
  eksIssuerHost,
  REGION,
  starfieldServicesRootCrossSigned,
} from '../support/inventory.ts';

const cluster = aCluster();
const provider = aProvider({ cluster });
const host = eksIssuerHost();

/** The default cluster and provider, with the issuer host serving `chain` (undefined: the probe failed). */
function run(chain: TlsChain | undefined, context: CheckContext = aContext()) {
  const hosts = [chain ? aHostProbe({ chain }) : aHostProbe({ error: aProbeError() })];
  return checkCertificates(
    deriveFacts(
      anInventory({ clusters: [cluster], providers: [provider], hosts, issuers: [anIssuerProbe()] }),
    ),
    context,
  );
}

function withIntermediate(intermediate: CertificateInfo): TlsChain {
  return aTlsChain({
    presented: [aLeafCert(), intermediate, starfieldServicesRootCrossSigned()],
    verified: [aLeafCert(), intermediate, amazonRootCa1()],
  });
}

describe('ca-expired and ca-expiring', () => {
  it.each([
    {
      name: 'expired yesterday',
      notAfter: daysFromNow(-1),
      check: 'ca-expired',
      severity: 'high',
      daysLeft: -1,
    },
    {
      name: 'expired an hour ago',
      notAfter: daysFromNow(-1 / 24),
      check: 'ca-expired',
      severity: 'high',
      daysLeft: -1,
    },
    {
      name: 'expires in 30.5 days',
      notAfter: daysFromNow(30.5),
      check: 'ca-expiring',
      severity: 'medium',
      daysLeft: 30,
    },
    {
      name: 'expires in exactly 180 days',
      notAfter: daysFromNow(180),
      check: 'ca-expiring',
      severity: 'medium',
      daysLeft: 180,
    },
  ])('intermediate $name: $check', ({ notAfter, check, severity, daysLeft }) => {
    // Prepare
    const intermediate = { ...amazonRsa2048M02(), notAfter };

    // Act
    const result = run(withIntermediate(intermediate));

    // Assess
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({
      check,
      severity,
      resource: provider.arn,
      region: REGION,
      cluster: 'prod',
      evidence: {
        subject: intermediate.subject,
        notAfter: new Date(notAfter).toISOString(),
        daysLeft,
        sha1: intermediate.sha1,
        seen: [`presented[1]@${host}`, `verified[1]@${host}`],
      },
    });
    expect(result[0]?.message).toContain(intermediate.subject);
    expect(result[0]?.remediation).toContain(`openssl s_client -connect ${host}:443`);
  });

  it('reports the earliest CA certificate, even one only in the verified chain', () => {
    // Prepare
    const soonRoot = { ...amazonRootCa1(), notAfter: daysFromNow(10) };
    const chain = aTlsChain({
      verified: [aLeafCert(), { ...amazonRsa2048M02(), notAfter: daysFromNow(20) }, soonRoot],
    });

    // Act
    const result = run(chain);

    // Assess
    expect(result.map((finding) => finding.evidence.sha1)).toEqual([soonRoot.sha1]);
    expect(result[0]?.evidence.seen).toEqual([`verified[2]@${host}`]);
  });

  it('fires only ca-expired when one CA certificate has expired and another is expiring', () => {
    // Prepare
    const chain = aTlsChain({
      presented: [
        aLeafCert(),
        { ...amazonRsa2048M02(), notAfter: daysFromNow(20) },
        { ...starfieldServicesRootCrossSigned(), notAfter: daysFromNow(-3) },
      ],
    });

    // Act
    const result = run(chain);

    // Assess
    expect(result.map((finding) => finding.check)).toEqual(['ca-expired']);
  });

  it('counts the keys host chain when discovery points there', () => {
    // Prepare
    const keysHost = 'keys.oidc.example.com';
    const keysChain = aPrivateTlsChain(keysHost);
    const [leaf, intermediate, root] = keysChain.presented;
    const expiring = { ...(intermediate ?? amazonRsa2048M02()), notAfter: daysFromNow(5) };
    const chain = {
      ...keysChain,
      presented: [leaf ?? aLeafCert(keysHost), expiring, root ?? amazonRootCa1()],
      verified: [],
    };
    const inventory = anInventory({
      clusters: [cluster],
      providers: [provider],
      hosts: [aHostProbe(), aHostProbe({ host: keysHost, chain })],
      issuers: [anIssuerProbe({ keysOn: keysHost })],
    });

    // Act
    const result = checkCertificates(deriveFacts(inventory), aContext());

    // Assess
    expect(result.map((finding) => [finding.check, finding.evidence.sha1])).toEqual([
      ['ca-expiring', expiring.sha1],
    ]);
  });

  it.each([
    { name: 'every CA certificate outlives the window', chain: aTlsChain(), context: aContext() },
    {
      name: 'the CA expires in 181 days',
      chain: withIntermediate({ ...amazonRsa2048M02(), notAfter: daysFromNow(181) }),
      context: aContext(),
    },
    {
      name: 'the CA expires in 20 days and the window is 14',
      chain: withIntermediate({ ...amazonRsa2048M02(), notAfter: daysFromNow(20) }),
      context: aContext({ caWarnDays: 14 }),
    },
    {
      name: 'only the leaf expires soon (it rotates)',
      chain: aTlsChain({ presented: [aLeafCert(host, { notAfter: daysFromNow(-1) }), amazonRsa2048M02()] }),
      context: aContext(),
    },
    { name: 'the host could not be probed', chain: undefined, context: aContext() },
  ])('is quiet when $name', ({ chain, context }) => {
    // Act
    const result = run(chain, context);

    // Assess
    expect(result).toEqual([]);
  });

  it('follows the certificate in the id: a renewed intermediate is a new finding', () => {
    // Prepare
    const first = { ...amazonRsa2048M02(), notAfter: daysFromNow(10) };
    const renewed = { ...first, serialNumber: '01', sha1: 'ab'.repeat(20) };

    // Act
    const [before] = run(withIntermediate(first));
    const [again] = run(withIntermediate(first));
    const [after] = run(withIntermediate(renewed));

    // Assess
    expect(again?.id).toBe(before?.id);
    expect(after?.id).not.toBe(before?.id);
  });
});
