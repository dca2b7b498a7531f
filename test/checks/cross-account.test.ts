import { describe, expect, it } from 'vitest';
import { checkCrossAccount } from '../../src/checks/cross-account.ts';
import type { OrganizationView } from '../../src/checks/types.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import {
  ACCOUNT_ID,
  aCluster,
  aContext,
  anAccount,
  anInventory,
  aProvider,
  aRole,
  withoutScheme,
} from '../support/inventory.ts';

const CLUSTER_ACCOUNT = '444455556666';
const payments = aCluster({ name: 'payments', accountId: CLUSTER_ACCOUNT });
// The role's account registers its own provider for the other account's cluster issuer (cross-account IRSA).
const provider = aProvider({ url: withoutScheme(payments.issuer ?? '') });
const reader = aRole({ name: 'payments-reader', trusts: [provider.arn] });

function findingsWith(organization?: OrganizationView, roles = [reader]) {
  const inventory = anInventory({
    accounts: [anAccount(), anAccount({ accountId: CLUSTER_ACCOUNT })],
    clusters: [payments],
    providers: [provider],
    roles,
  });
  return checkCrossAccount(deriveFacts(inventory), aContext(organization ? { organization } : {}));
}

const names = { [ACCOUNT_ID]: 'dev', [CLUSTER_ACCOUNT]: 'prod' };

describe('trust-cross-account', () => {
  it('is medium when the accounts sit in different OUs, naming both paths and accounts', () => {
    // Prepare
    const organization = {
      names,
      ouPaths: { [ACCOUNT_ID]: '/Workloads/Dev', [CLUSTER_ACCOUNT]: '/Workloads/Prod' },
    };

    // Act
    const findings = findingsWith(organization);

    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        check: 'trust-cross-account',
        severity: 'medium',
        accountId: ACCOUNT_ID,
        region: payments.region,
        resource: reader.arn,
        cluster: 'payments',
      }),
    ]);
    expect(findings[0]?.message).toContain(
      `account dev (${ACCOUNT_ID}) can be assumed from cluster payments of account prod (${CLUSTER_ACCOUNT})`,
    );
    expect(findings[0]?.message).toContain('different OUs (/Workloads/Prod and /Workloads/Dev)');
    expect(findings[0]?.evidence).toMatchObject({
      ouPaths: { cluster: '/Workloads/Prod', role: '/Workloads/Dev' },
      subjects: ['default:app'],
      providerArn: provider.arn,
    });
  });

  it.each<{ name: string; ouPaths: Record<string, string>; ouPathsError?: string; evidence: unknown }>([
    {
      name: 'both accounts sit in one OU',
      ouPaths: { [ACCOUNT_ID]: '/Workloads', [CLUSTER_ACCOUNT]: '/Workloads' },
      evidence: { cluster: '/Workloads', role: '/Workloads' },
    },
    {
      name: 'the OUs could not be read',
      ouPaths: {},
      ouPathsError: 'AccessDeniedException: no',
      evidence: 'unknown: AccessDeniedException: no',
    },
  ])('is info when $name', ({ ouPaths, ouPathsError, evidence }) => {
    // Act
    const findings = findingsWith({ names, ouPaths, ...(ouPathsError ? { ouPathsError } : {}) });

    // Assess
    expect(findings.map((finding) => finding.severity)).toEqual(['info']);
    expect(findings[0]?.evidence).toMatchObject({ ouPaths: evidence });
  });

  it('is info, saying why the OUs are unknown, when the organization was not listed', () => {
    // Act
    const [finding] = findingsWith();

    // Assess
    expect(finding).toMatchObject({ severity: 'info' });
    expect(finding?.evidence).toMatchObject({ ouPaths: expect.stringContaining('--accounts org') });
  });

  it.each([
    {
      name: "a role of the cluster's own account",
      role: aRole({
        accountId: CLUSTER_ACCOUNT,
        name: 'local',
        trusts: [aProvider({ cluster: payments }).arn],
      }),
    },
    {
      name: "a role naming the other account's provider (STS never matches it: trust-unknown-provider says so)",
      role: aRole({
        name: 'wrong',
        trusts: [aProvider({ cluster: payments, accountId: CLUSTER_ACCOUNT }).arn],
      }),
    },
  ])('stays quiet on $name', ({ role }) => {
    // Act
    const findings = findingsWith(undefined, [role]);

    // Assess
    expect(findings).toEqual([]);
  });
});
