// Small builders for worlds in tests: a test names only what it is about, the rest takes sane defaults.

import { issuerIdFor } from './ids.ts';
import { issuerHost, type Partition } from './regions.ts';
import type { WorldInput } from './world.ts';

type AccountInput = WorldInput['accounts'][number];
type ClusterInput = NonNullable<AccountInput['clusters']>[number];
type ProviderInput = NonNullable<AccountInput['oidcProviders']>[number];
type RoleInput = NonNullable<AccountInput['roles']>[number];

export const CALLER_ID = '111111111111';
export const MEMBER_ID = '222222222222';
export const OTHER_ID = '333333333333';

export function account(id: string, fields: Partial<AccountInput> = {}): AccountInput {
  return { id, name: `account-${id}`, ...fields };
}

export function callerAccount(fields: Partial<AccountInput> = {}): AccountInput {
  return account(CALLER_ID, { name: 'security', caller: true, ...fields });
}

export function cluster(
  name: string,
  region = 'us-east-1',
  fields: Partial<ClusterInput> = {},
): ClusterInput {
  return { name, region, ...fields };
}

/** `count` clusters named `<prefix>-000`, `<prefix>-001`, ... in one region. */
export function clusters(count: number, region = 'us-east-1', prefix = 'cluster'): ClusterInput[] {
  return Array.from({ length: count }, (_, i) => cluster(`${prefix}-${String(i).padStart(3, '0')}`, region));
}

/** The issuer URL (without scheme) the sandbox gives a cluster whose world entry has no explicit issuer. */
export function derivedIssuer(
  accountId: string,
  region: string,
  name: string,
  partition: Partition = 'aws',
): string {
  return `${issuerHost(partition, region)}/id/${issuerIdFor(accountId, region, name)}`;
}

export function provider(url: string, fields: Partial<ProviderInput> = {}): ProviderInput {
  return { url, ...fields };
}

export function role(name: string, trust: RoleInput['trust'], fields: Partial<RoleInput> = {}): RoleInput {
  return { name, trust, ...fields };
}

/** The recommended IRSA trust (docs/trust-policies.md) for one service account. */
export function irsaTrust(
  accountId: string,
  issuer: string,
  subject: string,
  partition: Partition = 'aws',
): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:${partition}:iam::${accountId}:oidc-provider/${issuer}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [`${issuer}:sub`]: subject, [`${issuer}:aud`]: 'sts.amazonaws.com' } },
      },
    ],
  };
}

export function world(accounts: AccountInput[], fields: Partial<WorldInput> = {}): WorldInput {
  return { accounts, ...fields };
}
