// The world indexed for serving: every lookup a request makes is a map hit by account, region or key, so
// per-request cost does not grow with the world (the benchmark world has 34,000 clusters).

import { hashHex, hashId, issuerIdFor, longTermKeyId, longTermSecret } from './ids.ts';
import { defaultRegions, dnsSuffix, issuerHost, type Partition } from './regions.ts';
import {
  stripScheme,
  type ThumbprintRef,
  type World,
  type WorldAccount,
  type WorldCluster,
  type WorldProvider,
  type WorldRole,
} from './world.ts';

export interface ClusterState {
  world: WorldCluster;
  /** The OIDC id, or null for a cluster without an issuer. */
  issuerId: string | null;
}

export interface ProviderState {
  world: WorldProvider;
  arn: string;
  /** As IAM returns it: no scheme. */
  url: string;
  /** Literal thumbprints as given, symbolic ones once the issuer chains exist. */
  thumbprints: string[];
}

export interface RoleState {
  name: string;
  path: string;
  arn: string;
  roleId: string;
  trust: WorldRole['trust'];
  /** The role's identity policy, evaluated on sts:AssumeRole; undefined: it may assume any role. */
  permissions: WorldRole['permissions'];
  description: string | undefined;
  createDate: string;
}

export interface AccountState {
  world: WorldAccount;
  id: string;
  name: string;
  email: string;
  /** OU names from the root down; [] for an account directly under the root. */
  ouPath: string[];
  enabledRegions: ReadonlySet<string>;
  /** Regions listed as enabled where calls nevertheless fail (faults.disabledRegions). */
  brokenRegions: ReadonlySet<string>;
  clustersByRegion: Map<string, ClusterState[]>;
  clusterByKey: Map<string, ClusterState>;
  providers: ProviderState[];
  providerByArn: Map<string, ProviderState>;
  roles: RoleState[];
  /** The organization this account belongs to (every world account, when the world has one). */
  organizationId: string | undefined;
}

export interface Identity {
  accessKeyId: string;
  secretAccessKey: string;
  account: AccountState;
  arn: string;
  userId: string;
  /** For a role session, the role's IAM ARN: what a trust policy names and aws:PrincipalArn gives. */
  roleArn?: string;
  /** The identity policy sts:AssumeRole is checked against; undefined: unrestricted (the long-term users). */
  policy?: unknown;
  /** Temporary credentials carry a session token that must come with every request. */
  sessionToken?: string;
  expiresAt?: number;
}

export interface SandboxState {
  world: World;
  partition: Partition;
  accounts: Map<string, AccountState>;
  caller: AccountState;
  identities: Map<string, Identity>;
  /** The CA of the Kubernetes API the sandbox serves (test/sandbox/kubernetes), once it runs. */
  kubernetesCaPem?: string;
}

const EPOCH = '2024-01-15T10:00:00Z';

export function ouPathOf(raw: string): string[] {
  return raw.split('/').filter((s) => s !== '');
}

export function clusterArn(partition: Partition, accountId: string, region: string, name: string): string {
  return `arn:${partition}:eks:${region}:${accountId}:cluster/${name}`;
}

export function clusterIssuerUrl(partition: Partition, region: string, issuerId: string): string {
  return `https://${issuerHost(partition, region)}/id/${issuerId}`;
}

function roleState(partition: Partition, accountId: string, role: WorldRole): RoleState {
  return {
    name: role.name,
    path: role.path,
    arn: `arn:${partition}:iam::${accountId}:role${role.path}${role.name}`,
    roleId: `AROA${hashId(`role/${accountId}/${role.name}`, 17)}`,
    trust: role.trust,
    permissions: role.permissions,
    description: role.description,
    createDate: role.createdAt ?? EPOCH,
  };
}

/** The organization's id: as the world gives it, or derived from the management account. */
export function organizationIdOf(world: World): string | undefined {
  const org = world.organization;
  if (!org) return undefined;
  return org.id ?? `o-${hashHex(`org/${org.managementAccount}`, 10)}`;
}

/**
 * The trust of a role a world names only in `assumableRoles`: any principal of the caller's account whose own
 * policy allows it, with the account's ExternalId when it sets one (what deploy/member-role.yaml grants).
 */
function derivedAuditRoleTrust(partition: Partition, callerId: string, externalId: string | undefined) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${callerId}:root` },
        Action: 'sts:AssumeRole',
        ...(externalId === undefined
          ? {}
          : { Condition: { StringEquals: { 'sts:ExternalId': externalId } } }),
      },
    ],
  };
}

function indexAccount(world: World, account: WorldAccount, callerId: string): AccountState {
  const partition = world.partition;
  const clustersByRegion = new Map<string, ClusterState[]>();
  const clusterByKey = new Map<string, ClusterState>();
  for (const cluster of account.clusters) {
    const issuerId =
      cluster.issuer === null
        ? null
        : (cluster.issuer ?? issuerIdFor(account.id, cluster.region, cluster.name));
    const state: ClusterState = { world: cluster, issuerId };
    let inRegion = clustersByRegion.get(cluster.region);
    if (!inRegion) {
      inRegion = [];
      clustersByRegion.set(cluster.region, inRegion);
    }
    inRegion.push(state);
    clusterByKey.set(`${cluster.region}/${cluster.name}`, state);
  }
  const providers = account.oidcProviders.map((provider): ProviderState => {
    const url = stripScheme(provider.url);
    return {
      world: provider,
      arn: `arn:${partition}:iam::${account.id}:oidc-provider/${url}`,
      url,
      thumbprints: provider.thumbprints.filter((t): t is string => typeof t === 'string'),
    };
  });
  const roles = account.roles.map((r) => roleState(partition, account.id, r));
  // The audit role exists in IAM too, trusting the caller: ListRoles shows it as real accounts would, and STS
  // evaluates that trust. A role the world declares keeps its own trust.
  const declared = new Set(account.roles.map((r) => r.name.toLowerCase()));
  for (const name of account.assumableRoles) {
    if (declared.has(name.toLowerCase())) continue;
    const trust = derivedAuditRoleTrust(partition, callerId, account.externalId);
    roles.push(roleState(partition, account.id, { name, path: '/', trust }));
  }
  return {
    world: account,
    id: account.id,
    name: account.name ?? `account-${account.id}`,
    email: account.email ?? `aws+${account.id}@example.com`,
    ouPath: ouPathOf(account.ou),
    enabledRegions: new Set(account.regions ?? defaultRegions(partition)),
    brokenRegions: new Set(world.faults.disabledRegions[account.id] ?? []),
    clustersByRegion,
    clusterByKey,
    providers,
    providerByArn: new Map(providers.map((p) => [p.arn, p])),
    roles,
    organizationId: organizationIdOf(world),
  };
}

export function buildState(world: World): SandboxState {
  const accounts = new Map<string, AccountState>();
  const identities = new Map<string, Identity>();
  let caller: AccountState | undefined;
  const callerId = world.accounts.find((a) => a.caller)?.id ?? '';
  for (const account of world.accounts) {
    const state = indexAccount(world, account, callerId);
    accounts.set(account.id, state);
    if (account.caller) caller = state;
    const accessKeyId = longTermKeyId(account.id);
    identities.set(accessKeyId, {
      accessKeyId,
      secretAccessKey: longTermSecret(account.id),
      account: state,
      arn: `arn:${world.partition}:iam::${account.id}:user/sandbox-auditor`,
      userId: `AIDA${hashId(`user/${account.id}`, 17)}`,
    });
  }
  if (!caller) throw new Error('world has no caller account (parseWorld should have caught this)');
  return { world, partition: world.partition, accounts, caller, identities };
}

/** Replaces symbolic thumbprints by the hex `resolve` gives them, keeping each provider's order. */
export function resolveThumbprints(state: SandboxState, resolve: (ref: ThumbprintRef) => string): void {
  for (const account of state.accounts.values()) {
    for (const provider of account.providers) {
      const refs = provider.world.thumbprints;
      if (refs.every((t) => typeof t === 'string')) continue;
      provider.thumbprints = refs.map((t) => (typeof t === 'string' ? t : resolve(t)));
    }
  }
}

export function regionEndpoint(partition: Partition, service: string, region: string): string {
  return `${service}.${region}.${dnsSuffix(partition)}`;
}
