// An organization with every kind of partial failure at once, for test/e2e/organization.test.ts: OUs with
// include/exclude filters, a suspended account, an account whose audit role refuses AssumeRole, a disabled
// region, an issuer host that accepts connections and never answers, and healthy accounts around them.

import type { WorldInput } from '../../sandbox/world.ts';
import {
  account,
  CALLER_ID,
  callerAccount,
  cluster,
  derivedIssuer,
  irsaTrust,
  provider,
  role,
  world,
} from '../../sandbox/world-builders.ts';
import { EXTERNAL_ID, namespaceWideTrust } from './worlds.ts';

export const ORG = {
  prod: '222222222222',
  locked: '333333333333',
  dev: '444444444444',
  sandbox: '555555555555',
  excluded: '666666666666',
  suspended: '777777777777',
} as const;

export const HANGING_HOST = 'oidc.eks.us-west-2.amazonaws.com';
export const DISABLED_REGION = 'ap-east-1';

/** A healthy cluster's provider, its thumbprint taken from the chain its issuer host really presents. */
function healthyProvider(accountId: string, region: string, name: string) {
  return provider(`https://${derivedIssuer(accountId, region, name)}`, {
    thumbprints: [{ fromIssuerHost: `oidc.eks.${region}.amazonaws.com`, cert: 'last-presented' }],
  });
}

/** An account outside the audit's filters: a cluster without a provider, which would be found if audited. */
function outOfScope(id: string, fields: Parameters<typeof account>[1]) {
  return account(id, { regions: ['us-east-1'], clusters: [cluster('unseen', 'us-east-1')], ...fields });
}

export function organizationWorld(): WorldInput {
  const prodIssuer = derivedIssuer(ORG.prod, 'us-east-1', 'payments');
  const devIssuer = derivedIssuer(ORG.dev, 'us-east-1', 'dev');
  return world(
    [
      callerAccount({ ou: '/Security', regions: ['us-east-1'] }),
      account(ORG.prod, {
        name: 'prod',
        ou: '/Workloads/Prod',
        externalId: EXTERNAL_ID,
        regions: ['us-east-1', 'eu-west-1', 'us-west-2'],
        clusters: [
          cluster('payments', 'us-east-1'),
          cluster('batch', 'us-east-1'),
          cluster('eu', 'eu-west-1'),
          cluster('west', 'us-west-2'),
        ],
        oidcProviders: [
          healthyProvider(ORG.prod, 'us-east-1', 'payments'),
          healthyProvider(ORG.prod, 'eu-west-1', 'eu'),
          // The hanging host presents no chain to take a thumbprint from.
          provider(`https://${derivedIssuer(ORG.prod, 'us-west-2', 'west')}`, {
            thumbprints: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'],
          }),
        ],
        roles: [
          role('payments-api', irsaTrust(ORG.prod, prodIssuer, 'system:serviceaccount:payments:api'), {
            path: '/irsa/',
          }),
        ],
      }),
      account(ORG.locked, {
        name: 'locked',
        ou: '/Workloads/Dev',
        denyAssumeRole: true,
        regions: ['us-east-1'],
        clusters: [cluster('hidden', 'us-east-1')],
      }),
      account(ORG.dev, {
        name: 'dev',
        ou: '/Workloads/Dev',
        externalId: EXTERNAL_ID,
        regions: ['us-east-1', DISABLED_REGION],
        clusters: [cluster('dev', 'us-east-1'), cluster('hk', DISABLED_REGION)],
        oidcProviders: [healthyProvider(ORG.dev, 'us-east-1', 'dev')],
        roles: [role('dev-jobs', namespaceWideTrust(ORG.dev, devIssuer, 'jobs'), { path: '/irsa/' })],
      }),
      outOfScope(ORG.sandbox, { name: 'sandbox', ou: '/Sandbox' }),
      outOfScope(ORG.excluded, { name: 'excluded', ou: '/Workloads/Prod' }),
      outOfScope(ORG.suspended, { name: 'suspended', ou: '/Workloads/Prod', status: 'SUSPENDED' }),
    ],
    {
      organization: { managementAccount: CALLER_ID },
      faults: {
        seed: 20,
        throttleRate: 0.2,
        disabledRegions: { [ORG.dev]: [DISABLED_REGION] },
        hangingIssuerHosts: [HANGING_HOST],
      },
      expectedFindings: [
        { check: 'provider-missing', severity: 'medium', accountId: ORG.prod, cluster: 'batch' },
        { check: 'issuer-unreachable', severity: 'medium', accountId: ORG.prod, cluster: 'west' },
        {
          check: 'trust-wildcard-sub',
          severity: 'medium',
          accountId: ORG.dev,
          resource: 'role/irsa/dev-jobs',
        },
        { check: 'audit-error', severity: 'medium', resource: `region:${ORG.dev}/${DISABLED_REGION}` },
        { check: 'audit-error', severity: 'high', resource: `account:${ORG.locked}` },
      ],
    },
  );
}
