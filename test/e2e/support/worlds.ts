// Worlds for the end-to-end tests, built from the sandbox's world builders. Each states what the audit must find
// in `expectedFindings`; the shipped demo world lives in test/sandbox/worlds/demo.json.

import type { WorldInput } from '../../sandbox/world.ts';
import {
  account,
  CALLER_ID,
  callerAccount,
  cluster,
  clusters,
  derivedIssuer,
  irsaTrust,
  MEMBER_ID,
  OTHER_ID,
  provider,
  role,
  world,
} from '../../sandbox/world-builders.ts';

export const EXTERNAL_ID = 'e2e-audit';

/**
 * A small organization: the caller (management account) without clusters; a member across three regions with a
 * healthy cluster in two of them, a cluster without a provider, a namespace-wide role and a disabled region; and a
 * member whose audit role refuses AssumeRole.
 */
export function focusedWorld(): WorldInput {
  const prodIssuer = derivedIssuer(MEMBER_ID, 'us-east-1', 'prod');
  const euIssuer = derivedIssuer(MEMBER_ID, 'eu-west-1', 'eu');
  const thumbprint = (region: string) => [
    { fromIssuerHost: `oidc.eks.${region}.amazonaws.com`, cert: 'last-presented' as const },
  ];
  return world(
    [
      callerAccount({ regions: ['us-east-1'] }),
      account(MEMBER_ID, {
        name: 'apps',
        externalId: EXTERNAL_ID,
        regions: ['us-east-1', 'eu-west-1', 'ap-east-1'],
        clusters: [cluster('prod', 'us-east-1'), cluster('stage', 'us-east-1'), cluster('eu', 'eu-west-1')],
        oidcProviders: [
          provider(`https://${prodIssuer}`, { thumbprints: thumbprint('us-east-1') }),
          provider(`https://${euIssuer}`, { thumbprints: thumbprint('eu-west-1') }),
        ],
        roles: [
          role('prod-api', irsaTrust(MEMBER_ID, prodIssuer, 'system:serviceaccount:api:server'), {
            path: '/irsa/',
          }),
          role('eu-api', irsaTrust(MEMBER_ID, euIssuer, 'system:serviceaccount:api:server'), {
            path: '/irsa/',
          }),
          role('prod-jobs', namespaceWideTrust(MEMBER_ID, prodIssuer, 'jobs'), { path: '/irsa/' }),
        ],
      }),
      account(OTHER_ID, {
        name: 'locked',
        regions: ['us-east-1'],
        denyAssumeRole: true,
        clusters: [cluster('hidden', 'us-east-1')],
      }),
    ],
    {
      organization: { managementAccount: CALLER_ID },
      faults: { disabledRegions: { [MEMBER_ID]: ['ap-east-1'] } },
      expectedFindings: [
        { check: 'provider-missing', severity: 'medium', accountId: MEMBER_ID, cluster: 'stage' },
        {
          check: 'trust-wildcard-sub',
          severity: 'medium',
          accountId: MEMBER_ID,
          resource: 'role/irsa/prod-jobs',
        },
        { check: 'audit-error', severity: 'medium', resource: `region:${MEMBER_ID}/ap-east-1` },
        { check: 'audit-error', severity: 'high', resource: `account:${OTHER_ID}` },
      ],
    },
  );
}

/** The recommended trust, but with `StringLike` on `<ns>:*`: every service account of the namespace gets in. */
export function namespaceWideTrust(
  accountId: string,
  issuer: string,
  namespace: string,
): Record<string, unknown> {
  const trust = irsaTrust(accountId, issuer, `system:serviceaccount:${namespace}:*`);
  const [statement] = trust.Statement as { Condition: Record<string, Record<string, string>> }[];
  if (statement) {
    const { [`${issuer}:sub`]: sub = '', ...rest } = statement.Condition.StringEquals ?? {};
    statement.Condition = { StringLike: { [`${issuer}:sub`]: sub }, StringEquals: rest };
  }
  return trust;
}

export const PAGING = {
  /** Roles of the caller besides its audit role: more than one ListRoles page of 1000. */
  callerRoles: 1100,
  /** Clusters of the multi-region member per region: 3, 2 and 1 ListClusters pages of 100. */
  clustersByRegion: { 'us-east-1': 250, 'eu-west-1': 101, 'us-west-2': 0 } as Record<string, number>,
  /** Empty member accounts, so that the organization takes 3 ListAccounts pages of 20. */
  emptyAccounts: 43,
};

const SERVICE_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/**
 * Big enough to page everything the auditor pages: 45 accounts, 1,100 roles in the caller, 351 clusters over
 * three regions of one member with 3 providers; every other cluster lacks one (provider-missing, medium).
 */
export function pagingWorld(): WorldInput {
  const regions = Object.keys(PAGING.clustersByRegion);
  const memberClusters = regions.flatMap((region) =>
    clusters(PAGING.clustersByRegion[region] ?? 0, region, `eks-${region}`),
  );
  const withProvider = memberClusters
    .slice(0, 2)
    .concat(memberClusters.filter((c) => c.region === 'eu-west-1').slice(0, 1));
  const empty = Array.from({ length: PAGING.emptyAccounts }, (_, i) =>
    account(String(300000000000 + i), { regions: ['us-east-1'] }),
  );
  return world(
    [
      callerAccount({
        regions: ['us-east-1'],
        roles: Array.from({ length: PAGING.callerRoles }, (_, i) =>
          role(`service-${String(i).padStart(4, '0')}`, SERVICE_TRUST),
        ),
      }),
      account(MEMBER_ID, {
        regions,
        clusters: memberClusters,
        oidcProviders: withProvider.map((c) =>
          provider(`https://${derivedIssuer(MEMBER_ID, c.region, c.name)}`, {
            thumbprints: [{ fromIssuerHost: `oidc.eks.${c.region}.amazonaws.com`, cert: 'last-presented' }],
          }),
        ),
      }),
      ...empty,
    ],
    {
      organization: { managementAccount: CALLER_ID },
      expectedFindings: memberClusters
        .filter((c) => !withProvider.includes(c))
        .map((c) => ({
          check: 'provider-missing',
          severity: 'medium' as const,
          accountId: MEMBER_ID,
          region: c.region,
          cluster: c.name,
        })),
    },
  );
}
