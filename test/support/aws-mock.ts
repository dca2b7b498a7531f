// A fake AWS for unit tests, at the SDK edge: aws-sdk-client-mock replaces `send` on the client classes, so
// the code under test builds and calls its real clients. A MockWorld says what each account and region holds.
import { ListRegionsCommand } from '@aws-sdk/client-account';
import {
  DescribeClusterCommand,
  ListClustersCommand,
  ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import {
  GetOpenIDConnectProviderCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { DescribeAccountCommand } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { type AwsClients, type Credentials, createAwsClients } from '../../src/clients/aws.ts';

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
  /** ListClusters in these regions answers only once the promise settles (an endpoint that hangs, then answers). */
  heldRegions?: Record<string, Promise<void>>;
  /** ListPodIdentityAssociations fails with this error name (a member role without the Pod Identity reads). */
  podIdentityFailure?: string;
}
export interface MockWorld {
  caller: string;
  accounts: MockAccount[];
}

export function issuerUrl(region: string, id: string): string {
  return `https://oidc.eks.${region}.amazonaws.com/id/${id}`;
}

function awsError(name: string, message = `${name} (mock)`): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 403 } });
}

export interface RecordedCall {
  command: string;
  input: Record<string, unknown>;
  region: string;
  accountId: string;
}

export interface AwsMocks {
  /** Real SDK clients whose `send` is stubbed per instance, so each knows its own region and account. */
  clients: AwsClients;
  calls(command?: string): RecordedCall[];
  restore(): void;
}

// Stubbing per instance rather than per class: aws-sdk-client-mock's getClient() reports the last client
// called, which is wrong as soon as calls run concurrently.
export function mockAws(world: MockWorld): AwsMocks {
  const real = createAwsClients({ maxAttempts: 1 });
  const log: RecordedCall[] = [];
  const stubs: { restore(): void }[] = [];
  const accountFor = async (credentials: Credentials | undefined): Promise<MockAccount> => {
    const identity = typeof credentials === 'function' ? await credentials() : credentials;
    const key = identity?.accessKeyId;
    const id = key?.startsWith('ASIA-') ? key.slice(5) : world.caller;
    const account = world.accounts.find((a) => a.id === id);
    if (!account) throw awsError('InvalidClientTokenId');
    return account;
  };

  function stub<C extends object>(
    client: C,
    region: string,
    credentials: Credentials | undefined,
    handlers: Handlers,
  ): C {
    if (stubbed.has(client)) return client;
    stubbed.add(client);
    const mock = mockClient(client as never) as unknown as {
      on(command: unknown): { callsFake(fn: (input: Record<string, unknown>) => unknown): void };
      restore(): void;
    };
    for (const [command, handler] of handlers) {
      mock.on(command).callsFake(async (input) => {
        const account = await accountFor(credentials);
        log.push({
          command: (command as { name: string }).name.replace(/Command$/, ''),
          input: { ...input },
          region,
          accountId: account.id,
        });
        return handler(input, account, region);
      });
    }
    stubs.push(mock);
    return client;
  }
  const stubbed = new WeakSet<object>();

  const clients: AwsClients = {
    sts: (region, credentials) =>
      stub(real.sts(region, credentials), region, credentials, stsHandlers(world)),
    iam: (partition, credentials) =>
      stub(real.iam(partition, credentials), 'us-east-1', credentials, iamHandlers()),
    eks: (region, credentials) => stub(real.eks(region, credentials), region, credentials, eksHandlers()),
    account: (partition, credentials) =>
      stub(real.account(partition, credentials), 'us-east-1', credentials, accountHandlers()),
    ec2: (region, credentials) => real.ec2(region, credentials),
    // No suppressions in these worlds: the real client, never called.
    ssm: (region) => real.ssm(region),
    s3: (region) => real.s3(region),
    organizations: (partition, credentials) =>
      stub(real.organizations(partition, credentials), 'us-east-1', credentials, organizationHandlers(world)),
  };
  return {
    clients,
    calls: (command) => (command ? log.filter((c) => c.command === command) : [...log]),
    restore() {
      for (const s of stubs) s.restore();
    },
  };
}

type Handler = (input: Record<string, unknown>, account: MockAccount, region: string) => unknown;
type Handlers = [unknown, Handler][];

/** The world's accounts form the caller's organization. */
function organizationHandlers(world: MockWorld): Handlers {
  return [
    [
      DescribeAccountCommand,
      (input) => {
        const account = world.accounts.find((a) => a.id === input.AccountId);
        if (!account) throw awsError('AccountNotFoundException');
        return { Account: { Id: account.id, Name: `account-${account.id}`, Status: 'ACTIVE' } };
      },
    ],
  ];
}

function stsHandlers(world: MockWorld): Handlers {
  return [
    [
      GetCallerIdentityCommand,
      () => ({ Account: world.caller, Arn: `arn:aws:sts::${world.caller}:assumed-role/Security/auditor` }),
    ],
    [
      AssumeRoleCommand,
      (input) => {
        const roleArn = String(input.RoleArn);
        const id = roleArn.split(':')[4] ?? '';
        const target = world.accounts.find((a) => a.id === id);
        if (!target) throw awsError('AccessDenied', `not authorized to assume ${roleArn}`);
        if (target.denyAssumeRole)
          throw awsError(target.denyAssumeRole, `not authorized to assume ${roleArn}`);
        return {
          Credentials: {
            AccessKeyId: `ASIA-${id}`,
            SecretAccessKey: 'secret',
            SessionToken: 'token',
            Expiration: new Date(Date.now() + 3600_000),
          },
        };
      },
    ],
  ];
}

function accountHandlers(): Handlers {
  return [
    [
      ListRegionsCommand,
      (_input, a) => ({
        Regions: Object.keys(a.regions).map((RegionName) => ({ RegionName, RegionOptStatus: 'ENABLED' })),
      }),
    ],
  ];
}

function eksHandlers(): Handlers {
  return [
    [
      ListClustersCommand,
      async (input, a, region) => {
        await a.heldRegions?.[region];
        const failure = a.failingRegions?.[region];
        if (failure) throw awsError(failure);
        const names = (a.regions[region] ?? []).map((c) => c.name);
        const start = Number(input.nextToken ?? 0);
        const size = Math.min(Number(input.maxResults ?? 100), 100);
        const next = start + size < names.length ? String(start + size) : undefined;
        return { clusters: names.slice(start, start + size), nextToken: next };
      },
    ],
    [
      DescribeClusterCommand,
      (input, a, region) => {
        const cluster = (a.regions[region] ?? []).find((c) => c.name === input.name);
        if (!cluster) throw awsError('ResourceNotFoundException');
        const issuerId =
          cluster.issuerId === undefined ? issuerIdFor(a.id, region, cluster.name) : cluster.issuerId;
        return {
          cluster: {
            name: cluster.name,
            arn: `arn:aws:eks:${region}:${a.id}:cluster/${cluster.name}`,
            status: 'ACTIVE',
            version: '1.33',
            identity: issuerId === null ? {} : { oidc: { issuer: issuerUrl(region, issuerId) } },
          },
        };
      },
    ],
    // No Pod Identity in these worlds: every cluster answers an empty list (the sandbox serves the rest).
    [
      ListPodIdentityAssociationsCommand,
      (input, a, region) => {
        if (a.podIdentityFailure) throw awsError(a.podIdentityFailure);
        if (!(a.regions[region] ?? []).some((c) => c.name === input.clusterName))
          throw awsError('ResourceNotFoundException');
        return { associations: [] };
      },
    ],
  ];
}

function iamHandlers(): Handlers {
  return [
    [
      ListOpenIDConnectProvidersCommand,
      (_input, a) => ({
        OpenIDConnectProviderList: (a.providers ?? []).map((p) => ({
          Arn: `arn:aws:iam::${a.id}:oidc-provider/${p.url}`,
        })),
      }),
    ],
    [
      GetOpenIDConnectProviderCommand,
      (input, a) => {
        const provider = (a.providers ?? []).find((p) =>
          String(input.OpenIDConnectProviderArn).endsWith(`/${p.url}`),
        );
        if (!provider) throw awsError('NoSuchEntity');
        return {
          Url: provider.url,
          ClientIDList: provider.clientIds ?? ['sts.amazonaws.com'],
          ThumbprintList: provider.thumbprints ?? [],
          CreateDate: new Date('2024-01-01T00:00:00Z'),
        };
      },
    ],
    [
      ListRolesCommand,
      (input, a) => {
        const roles = a.roles ?? [];
        const start = Number(input.Marker ?? 0);
        const size = Number(input.MaxItems ?? 100);
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
      },
    ],
  ];
}

/** A deterministic 32-hex issuer id per cluster, so tests can predict issuer URLs. */
export function issuerIdFor(accountId: string, region: string, name: string): string {
  let hash = 0n;
  for (const ch of `${accountId}/${region}/${name}`)
    hash = (hash * 131n + BigInt(ch.charCodeAt(0))) % 2n ** 128n;
  return hash.toString(16).toUpperCase().padStart(32, '0');
}
