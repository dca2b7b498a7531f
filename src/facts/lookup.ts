// Lookups the trust analysis and the checks make for every cluster, provider and role. Scanning the inventory
// each time is quadratic, which an organization of a thousand accounts turns into minutes; the index is built
// once, by the facts step (src/facts/index.ts), and lives as long as the facts do.

import type {
  AuditedAccount,
  Cluster,
  HostProbe,
  Inventory,
  IssuerProbe,
  OidcProvider,
  Role,
} from '../model/inventory.ts';
import { issuerMatchKey, parseIssuerUrl } from '../naming/issuer-url.ts';
import { federatedProviderArns, issuerKeyOfProviderArn } from './trust/references.ts';

export interface InventoryLookup {
  account(accountId: string): AuditedAccount | undefined;
  /** Providers of an account, by the issuer they stand for (alias folded into the oidc.eks form). */
  providersFor(accountId: string, issuerKey: string): OidcProvider[];
  /** A provider of an account registered under exactly this URL form (`host+path`, host lowercase). */
  providerAt(accountId: string, urlKey: string): OidcProvider | undefined;
  providersOf(accountId: string): OidcProvider[];
  /** Clusters whose issuer has this match key (normally one: issuer ids are unique). */
  clustersWithIssuer(issuerKey: string): Cluster[];
  clustersIn(accountId: string, region: string): Cluster[];
  /** Roles of an account whose Allow statements name a provider for this issuer. */
  rolesTrusting(accountId: string, issuerKey: string): Role[];
  /** Roles of an account whose Allow statements name this exact provider ARN. */
  rolesNaming(accountId: string, providerArn: string): Role[];
  /** The role of an account with this name (unique in an account whatever its path, compared without case). */
  role(accountId: string, name: string): Role | undefined;
  host(host: string): HostProbe[];
  /** The discovery probe of an issuer, by the URL form as written (`host+path`). */
  issuer(urlKey: string): IssuerProbe | undefined;
}

/** Indexes an inventory; the inventory is never changed after collection, so the index stays true. */
export function buildLookup(inventory: Inventory): InventoryLookup {
  const accounts = new Map(inventory.accounts.map((account) => [account.accountId, account]));
  const providersByIssuer = group(inventory.providers, (p) => {
    const key = issuerMatchKey(p.url);
    return key === undefined ? undefined : `${p.accountId}|${key}`;
  });
  const providersByUrl = new Map<string, OidcProvider>();
  for (const provider of inventory.providers) {
    const key = parseIssuerUrl(provider.url)?.key;
    if (key !== undefined && !providersByUrl.has(`${provider.accountId}|${key}`))
      providersByUrl.set(`${provider.accountId}|${key}`, provider);
  }
  const providersByAccount = group(inventory.providers, (p) => p.accountId);
  const clustersByIssuer = group(inventory.clusters, (c) =>
    c.issuer === null ? undefined : issuerMatchKey(c.issuer),
  );
  const clustersByRegion = group(inventory.clusters, (c) => `${c.accountId}|${c.region}`);
  const rolesByIssuer = new Map<string, Role[]>();
  const rolesByArn = new Map<string, Role[]>();
  for (const role of inventory.roles) {
    const arns = new Set(federatedProviderArns(role.trustPolicy));
    const issuers = new Set([...arns].flatMap((arn) => issuerKeyOfProviderArn(arn) ?? []));
    for (const key of issuers) push(rolesByIssuer, `${role.accountId}|${key}`, role);
    for (const arn of arns) push(rolesByArn, `${role.accountId}|${arn}`, role);
  }
  const rolesByName = new Map(
    inventory.roles.map((role) => [`${role.accountId}|${role.name.toLowerCase()}`, role]),
  );
  const hosts = group(inventory.hosts, (h) => h.host.toLowerCase());
  const issuers = new Map<string, IssuerProbe>();
  for (const probe of inventory.issuers) {
    const key = parseIssuerUrl(probe.issuer)?.key;
    if (key !== undefined && !issuers.has(key)) issuers.set(key, probe);
  }
  return {
    account: (id) => accounts.get(id),
    providersFor: (id, key) => providersByIssuer.get(`${id}|${key}`) ?? [],
    providerAt: (id, key) => providersByUrl.get(`${id}|${key}`),
    providersOf: (id) => providersByAccount.get(id) ?? [],
    clustersWithIssuer: (key) => clustersByIssuer.get(key) ?? [],
    clustersIn: (id, region) => clustersByRegion.get(`${id}|${region}`) ?? [],
    rolesTrusting: (id, key) => rolesByIssuer.get(`${id}|${key}`) ?? [],
    rolesNaming: (id, arn) => rolesByArn.get(`${id}|${arn}`) ?? [],
    role: (id, name) => rolesByName.get(`${id}|${name.toLowerCase()}`),
    host: (host) => hosts.get(host.toLowerCase()) ?? [],
    issuer: (key) => issuers.get(key),
  };
}

function group<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) push(groups, key, item);
  }
  return groups;
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}
