// A fake AWS for unit tests, at the SDK edge: aws-sdk-client-mock replaces `send` on the client classes, so
// the code under test builds and calls its real clients. A MockWorld says what each account and region holds.
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { DescribeClusterCommand, EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import {
  GetOpenIDConnectProviderCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';

export interface MockCluster {
  name: string;
  issuerId?: string | null;
}
export interface MockProvider {
  url: string;
  clientIds?: string[];
  thumbprints?: string[];
}
export interface MockAccount {
  id: string;
  regions: Record<string, MockCluster[]>;
  providers?: MockProvider[];
  roles?: { name: string; trustPolicy: unknown }[];
  /** AssumeRole into this account fails with this error name. */
  denyAssumeRole?: string;
  /** EKS calls in these regions fail with this error name. */
  failingRegions?: Record<string, string>;
}
export interface MockWorld {
  caller: string;
  accounts: MockAccount[];
}

export interface AwsMocks {
  sts: AwsStub<object, object, unknown>;
  iam: AwsStub<object, object, unknown>;
  eks: AwsStub<object, object, unknown>;
  account: AwsStub<object, object, unknown>;
  restore(): void;
}

export function issuerUrl(region: string, id: string): string {
  return `https://oidc.eks.${region}.amazonaws.com/id/${id}`;
}

function awsError(name: string, message = `${name} (mock)`): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 403 } });
}

/** Which account a client's credentials belong to: the caller's own, or the one its assumed keys name. */
async function accountOf(world: MockWorld, getClient: () => unknown): Promise<MockAccount> {
  const client = getClient() as { config: { credentials?: () => Promise<AwsCredentialIdentity> } };
  const credentials = client.config.credentials ? await client.config.credentials() : undefined;
  const id = credentials?.accessKeyId?.startsWith('ASIA-') ? credentials.accessKeyId.slice(5) : world.caller;
  const account = world.accounts.find((a) => a.id === id);
  if (!account) throw awsError('InvalidClientTokenId');
  return account;
}

async function regionOf(getClient: () => unknown): Promise<string> {
  const client = getClient() as { config: { region: () => Promise<string> } };
  return client.config.region();
}

export function mockAws(world: MockWorld): AwsMocks {
  const sts = mockClient(STSClient);
  const iam = mockClient(IAMClient);
  const eks = mockClient(EKSClient);
  const account = mockClient(AccountClient);

  sts.on(GetCallerIdentityCommand).resolves({
    Account: world.caller,
    Arn: `arn:aws:sts::${world.caller}:assumed-role/Security/auditor`,
  });
  sts.on(AssumeRoleCommand).callsFake(async (input: { RoleArn?: string }) => {
    const id = input.RoleArn?.split(':')[4] ?? '';
    const target = world.accounts.find((a) => a.id === id);
    if (!target) throw awsError('AccessDenied', `not authorized to assume ${input.RoleArn}`);
    if (target.denyAssumeRole) throw awsError(target.denyAssumeRole, `not authorized to assume ${input.RoleArn}`);
    return {
      Credentials: {
        AccessKeyId: `ASIA-${id}`,
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(Date.now() + 3600_000),
      },
    };
  });

  account.on(ListRegionsCommand).callsFake(async (_input, getClient) => {
    const a = await accountOf(world, getClient);
    return { Regions: Object.keys(a.regions).map((RegionName) => ({ RegionName, RegionOptStatus: 'ENABLED' })) };
  });

  eks.on(ListClustersCommand).callsFake(async (input: { nextToken?: string; maxResults?: number }, getClient) => {
    const a = await accountOf(world, getClient);
    const region = await regionOf(getClient);
    const failure = a.failingRegions?.[region];
    if (failure) throw awsError(failure);
    const names = (a.regions[region] ?? []).map((c) => c.name);
    const start = Number(input.nextToken ?? 0);
    const size = Math.min(input.maxResults ?? 100, 100);
    const next = start + size < names.length ? String(start + size) : undefined;
    return { clusters: names.slice(start, start + size), nextToken: next };
  });
  eks.on(DescribeClusterCommand).callsFake(async (input: { name?: string }, getClient) => {
    const a = await accountOf(world, getClient);
    const region = await regionOf(getClient);
    const cluster = (a.regions[region] ?? []).find((c) => c.name === input.name);
    if (!cluster) throw awsError('ResourceNotFoundException');
    const issuerId = cluster.issuerId === undefined ? issuerIdFor(a.id, region, cluster.name) : cluster.issuerId;
    return {
      cluster: {
        name: cluster.name,
        arn: `arn:aws:eks:${region}:${a.id}:cluster/${cluster.name}`,
        status: 'ACTIVE',
        version: '1.33',
        identity: issuerId === null ? {} : { oidc: { issuer: issuerUrl(region, issuerId) } },
      },
    };
  });

  iam.on(ListOpenIDConnectProvidersCommand).callsFake(async (_input, getClient) => {
    const a = await accountOf(world, getClient);
    return {
      OpenIDConnectProviderList: (a.providers ?? []).map((p) => ({
        Arn: `arn:aws:iam::${a.id}:oidc-provider/${p.url}`,
      })),
    };
  });
  iam.on(GetOpenIDConnectProviderCommand).callsFake(async (input: { OpenIDConnectProviderArn?: string }, getClient) => {
    const a = await accountOf(world, getClient);
    const provider = (a.providers ?? []).find((p) => input.OpenIDConnectProviderArn?.endsWith(`/${p.url}`));
    if (!provider) throw awsError('NoSuchEntity');
    return {
      Url: provider.url,
      ClientIDList: provider.clientIds ?? ['sts.amazonaws.com'],
      ThumbprintList: provider.thumbprints ?? [],
      CreateDate: new Date('2024-01-01T00:00:00Z'),
    };
  });
  iam.on(ListRolesCommand).callsFake(async (input: { Marker?: string; MaxItems?: number }, getClient) => {
    const a = await accountOf(world, getClient);
    const roles = a.roles ?? [];
    const start = Number(input.Marker ?? 0);
    const size = input.MaxItems ?? 100;
    const more = start + size < roles.length;
    return {
      Roles: roles.slice(start, start + size).map((r) => ({
        RoleName: r.name,
        Arn: `arn:aws:iam::${a.id}:role/${r.name}`,
        Path: '/',
        RoleId: 'AROA',
        CreateDate: new Date(),
        AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(r.trustPolicy)),
      })),
      IsTruncated: more,
      Marker: more ? String(start + size) : undefined,
    };
  });

  return {
    sts,
    iam,
    eks,
    account,
    restore() {
      for (const stub of [sts, iam, eks, account]) stub.restore();
    },
  };
}

/** A deterministic 32-hex issuer id per cluster, so tests can predict issuer URLs. */
export function issuerIdFor(accountId: string, region: string, name: string): string {
  let hash = 0n;
  for (const ch of `${accountId}/${region}/${name}`) hash = (hash * 131n + BigInt(ch.charCodeAt(0))) % 2n ** 128n;
  return hash.toString(16).toUpperCase().padStart(32, '0');
}
