import { describe, expect, it } from 'vitest';
import { checkAudiences } from '../../src/checks/audiences.ts';
import { checkAuditErrors } from '../../src/checks/audit-errors.ts';
import { checkCertificates } from '../../src/checks/certificates.ts';
import { checkCrossAccount } from '../../src/checks/cross-account.ts';
import { family } from '../../src/checks/family.ts';
import { makeFinding } from '../../src/checks/finding.ts';
import { checks, runChecks } from '../../src/checks/index.ts';
import { checkIssuers } from '../../src/checks/issuers.ts';
import { checkKubernetes } from '../../src/checks/kubernetes.ts';
import { checkPodIdentity } from '../../src/checks/pod-identity.ts';
import { checkProviders } from '../../src/checks/providers.ts';
import { checkThumbprints } from '../../src/checks/thumbprints.ts';
import { checkTrustPolicies } from '../../src/checks/trust.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import { type Finding, severityRank } from '../../src/model/finding.ts';
import type { Inventory } from '../../src/model/inventory.ts';
import {
  aCert,
  aCluster,
  aContext,
  aHealthyInventory,
  anAccount,
  anAuditError,
  anInventory,
  anIssuerProbe,
  anOidcId,
  aProbeError,
  aProvider,
  aRole,
} from '../support/inventory.ts';

/** Something for every family to say, across two accounts and two regions. */
function aTroubledInventory(): Inventory {
  const prod = aCluster();
  const staging = aCluster({ name: 'staging', region: 'eu-west-1' });
  const other = aCluster({ name: 'batch', accountId: '444455556666' });
  const stale = aProvider({
    cluster: prod,
    thumbprints: [aCert({ subject: 'CN=Retired' }).sha1],
    clientIds: [],
  });
  return aHealthyInventory({
    accounts: [
      anAccount({ regionsAudited: ['us-east-1', 'eu-west-1'] }),
      anAccount({ accountId: '444455556666' }),
    ],
    clusters: [prod, staging, other],
    providers: [
      stale,
      aProvider({ cluster: staging, alias: true }),
      aProvider({
        url: `oidc.eks.us-east-1.amazonaws.com/id/${anOidcId('gone')}`,
        clientIds: ['sts.amazonaws.com', 'x'],
      }),
    ],
    roles: [aRole({ trusts: [stale.arn] }), aRole({ accountId: '444455556666' })],
    // The leftover provider's issuer says its cluster is gone.
    issuers: [
      ...aHealthyInventory().issuers,
      anIssuerProbe({
        issuer: `https://oidc.eks.us-east-1.amazonaws.com/id/${anOidcId('gone')}`,
        error: aProbeError({ stage: 'discovery', code: 'HTTP_404' }),
      }),
    ],
    errors: [
      anAuditError({ accountId: '444455556666', region: 'ap-east-1', code: 'UnrecognizedClientException' }),
    ],
  });
}

function sortKey(finding: Finding): string {
  return [
    severityRank(finding.severity),
    finding.accountId,
    finding.region ?? '\uffff',
    finding.resource,
  ].join('|');
}

describe('runChecks', () => {
  it('finds nothing in a working IRSA setup', () => {
    // Act
    const result = runChecks(deriveFacts(aHealthyInventory()), aContext());

    // Assess
    expect(result).toEqual([]);
  });

  it('orders findings by severity, then account, region (regionless last) and resource', () => {
    // Act
    const result = runChecks(deriveFacts(aTroubledInventory()), aContext());

    // Assess
    const keys = result.map(sortKey);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(result.map((finding) => finding.check))).toEqual(
      new Set([
        'provider-missing',
        'provider-alias-url',
        'audience-missing',
        'audience-extra',
        'thumbprint-mismatch',
        'provider-orphaned',
        'audit-error',
      ]),
    );
  });

  it('gives the same findings, ids included, for equal inventories built apart', () => {
    // Act
    const first = runChecks(deriveFacts(aTroubledInventory()), aContext());
    const second = runChecks(deriveFacts(aTroubledInventory()), aContext());

    // Assess
    expect(second).toEqual(first);
    expect(new Set(first.map((finding) => finding.id)).size).toBe(first.length);
  });

  it('orders the same whatever order the inventory lists things in', () => {
    // Prepare
    const inventory = aTroubledInventory();
    const reversed: Inventory = {
      ...inventory,
      clusters: [...inventory.clusters].reverse(),
      providers: [...inventory.providers].reverse(),
      errors: [...inventory.errors].reverse(),
    };

    // Act
    const result = runChecks(deriveFacts(reversed), aContext());

    // Assess
    expect(result).toEqual(runChecks(deriveFacts(inventory), aContext()));
  });

  it('runs the families it is given, so a new family is one more entry', () => {
    // Prepare
    const extra = family('trust', (facts) =>
      facts.inventory.roles.map((role) =>
        makeFinding({
          check: 'trust-no-sub',
          severity: 'critical',
          accountId: role.accountId,
          region: null,
          resource: role.arn,
          cluster: null,
          message: 'stub',
          remediation: 'stub',
          evidence: {},
        }),
      ),
    );

    // Act
    const result = runChecks(deriveFacts(aHealthyInventory()), aContext(), [...checks, extra]);

    // Assess
    expect(result.map((finding) => finding.check)).toEqual(['trust-no-sub']);
  });

  it("runs every family, in the catalog's order", () => {
    // Assess
    expect(checks).toEqual([
      checkProviders,
      checkAudiences,
      checkThumbprints,
      checkCertificates,
      checkIssuers,
      checkAuditErrors,
      checkTrustPolicies,
      checkCrossAccount,
      checkPodIdentity,
      checkKubernetes,
    ]);
  });

  it('finds nothing in an empty inventory', () => {
    // Act
    const result = runChecks(deriveFacts(anInventory()), aContext());

    // Assess
    expect(result).toEqual([]);
  });
});

describe('a check family that fails', () => {
  it('costs its own findings only, and is named as a high audit error', () => {
    // Prepare
    const broken = family('cross-account', () => {
      throw new TypeError("Cannot read properties of undefined (reading 'issuer')");
    });
    const inventory = aTroubledInventory();

    // Act
    const result = runChecks(deriveFacts(inventory), aContext(), [...checks, broken]);

    // Assess
    const healthy = runChecks(deriveFacts(inventory), aContext());
    expect(result.filter((finding) => finding.resource !== 'audit:checks')).toEqual(healthy);
    expect(result.find((finding) => finding.resource === 'audit:checks')).toMatchObject({
      check: 'audit-error',
      severity: 'high',
      message: expect.stringContaining("TypeError: Cannot read properties of undefined (reading 'issuer')"),
      evidence: { found: { stage: 'checks', family: 'cross-account' } },
    });
  });
});
