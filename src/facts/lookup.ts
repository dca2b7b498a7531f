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
import { type IssuerUrl, parseIssuerUrl, withoutScheme } from '../naming/issuer-url.ts';
import { stringPool } from '../runtime/compact.ts';
import { type ProviderRef, providerRefOf } from './trust/provider-ref.ts';
import { federatedProviderArns } from './trust/references.ts';

export interface InventoryLookup {
  account(accountId: string): AuditedAccount | undefined;
  /** Providers of an account, by the issuer they stand for (alias folded into the oidc.eks form). */
  providersFor(accountId: string, issuerKey: string): readonly OidcProvider[];
  /** A provider of an account registered under exactly this URL form (`host+path`, host lowercase). */
  providerAt(accountId: string, urlKey: string): OidcProvider | undefined;
  providersOf(accountId: string): readonly OidcProvider[];
  /** Clusters whose issuer has this match key (normally one: issuer ids are unique). */
  clustersWithIssuer(issuerKey: string): readonly Cluster[];
  clustersIn(accountId: string, region: string): readonly Cluster[];
  /** Roles of an account whose Allow statements name a provider for this issuer. */
  rolesTrusting(accountId: string, issuerKey: string): readonly Role[];
  /** Roles of an account whose Allow statements name this exact provider ARN. */
  rolesNaming(accountId: string, providerArn: string): readonly Role[];
  /** The role of an account with this name (unique in an account whatever its path, compared without case). */
  role(accountId: string, name: string): Role | undefined;
  host(host: string): readonly HostProbe[];
  /** The discovery probe of an issuer, by the URL form as written (`host+path`). */
  issuer(urlKey: string): IssuerProbe | undefined;
  /**
   * parseIssuerUrl, once per distinct text: every cluster, provider and trust policy names its issuer, and the
   * checks ask again; one parse shared by all is both the CPU and the memory of hundreds of thousands of copies.
   */
  issuerUrl(raw: string): IssuerUrl | undefined;
  /** providerRefOf on the shared issuer URLs. */
  providerRef(arn: string): ProviderRef | undefined;
}

/** Indexes an inventory; the inventory is never changed after collection, so the index stays true. */
export function buildLookup(inventory: Inventory): InventoryLookup {
  // Keyed without the scheme: clusters name their issuer with `https://`, providers and policies without it, and
  // both forms then share one parse.
  const parsedUrls = new Map<string, IssuerUrl | undefined>();
  const hostsAndRegions = stringPool();
  const issuerUrl = (raw: string) => {
    const url = withoutScheme(raw);
    if (parsedUrls.has(url)) return parsedUrls.get(url);
    const parsed = parseIssuerUrl(url, hostsAndRegions);
    parsedUrls.set(url, parsed);
    return parsed;
  };
  // Not kept per ARN: a resolved provider copies the reference's fields, so a kept one would be a second copy.
  const providerRef = (arn: string) => providerRefOf(arn, issuerUrl);
  const accounts = new Map(inventory.accounts.map((account) => [account.accountId, account]));
  const providersByIssuer = byAccount(inventory.providers, (p) => issuerUrl(p.url)?.canonical);
  const providersByUrl = new Map<string, Map<string, OidcProvider>>();
  for (const provider of inventory.providers) {
    const key = issuerUrl(provider.url)?.key;
    if (key === undefined) continue;
    const own = inner(providersByUrl, provider.accountId);
    if (!own.has(key)) own.set(key, provider);
  }
  const providersByAccount = group(inventory.providers, (p) => p.accountId);
  const clustersByIssuer = group(inventory.clusters, (c) =>
    c.issuer === null ? undefined : issuerUrl(c.issuer)?.canonical,
  );
  const clustersByRegion = byAccount(inventory.clusters, (c) => c.region);
  const rolesByIssuer = new Map<string, Map<string, OneOrMore<Role>>>();
  const rolesByArn = new Map<string, Map<string, OneOrMore<Role>>>();
  for (const role of inventory.roles) {
    const arns = new Set(federatedProviderArns(role.trustPolicy));
    if (arns.size === 0) continue;
    const issuers = new Set([...arns].flatMap((arn) => providerRef(arn)?.issuer.canonical ?? []));
    for (const key of issuers) push(inner(rolesByIssuer, role.accountId), key, role);
    for (const arn of arns) push(inner(rolesByArn, role.accountId), arn, role);
  }
  const rolesByName = new Map<string, Map<string, Role>>();
  for (const role of inventory.roles) inner(rolesByName, role.accountId).set(role.name.toLowerCase(), role);
  const hosts = group(inventory.hosts, (h) => h.host.toLowerCase());
  const issuers = new Map<string, IssuerProbe>();
  for (const probe of inventory.issuers) {
    const key = issuerUrl(probe.issuer)?.key;
    if (key !== undefined && !issuers.has(key)) issuers.set(key, probe);
  }
  return {
    account: (id) => accounts.get(id),
    providersFor: (id, key) => listOf(providersByIssuer.get(id)?.get(key)),
    providerAt: (id, key) => providersByUrl.get(id)?.get(key),
    providersOf: (id) => listOf(providersByAccount.get(id)),
    clustersWithIssuer: (key) => listOf(clustersByIssuer.get(key)),
    clustersIn: (id, region) => listOf(clustersByRegion.get(id)?.get(region)),
    rolesTrusting: (id, key) => listOf(rolesByIssuer.get(id)?.get(key)),
    rolesNaming: (id, arn) => listOf(rolesByArn.get(id)?.get(arn)),
    role: (id, name) => rolesByName.get(id)?.get(name.toLowerCase()),
    host: (host) => listOf(hosts.get(host.toLowerCase())),
    issuer: (key) => issuers.get(key),
    issuerUrl,
    providerRef,
  };
}

/**
 * What an index holds under a key: most keys of an account hold one item (a provider, a cluster, the role trusting
 * it), kept as it is; a list of one would be two objects more for each (docs/performance.md, "What the facts hold").
 */
type OneOrMore<T extends object> = T | T[];

const NONE: readonly never[] = [];

function listOf<T extends object>(held: OneOrMore<T> | undefined): readonly T[] {
  return held === undefined ? NONE : Array.isArray(held) ? held : [held];
}

function group<T extends object>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
): Map<string, OneOrMore<T>> {
  const groups = new Map<string, OneOrMore<T>>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) push(groups, key, item);
  }
  return groups;
}

/**
 * Items by account, then by a key within the account. Two levels rather than one `account|key` string: at 10,000
 * accounts the lookups run millions of times, and each composite key was a new string to build and hash.
 */
function byAccount<T extends { accountId: string }>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
): Map<string, Map<string, OneOrMore<T>>> {
  const groups = new Map<string, Map<string, OneOrMore<T>>>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) push(inner(groups, item.accountId), key, item);
  }
  return groups;
}

function inner<V>(map: Map<string, Map<string, V>>, accountId: string): Map<string, V> {
  let found = map.get(accountId);
  if (!found) {
    found = new Map();
    map.set(accountId, found);
  }
  return found;
}

function push<T extends object>(map: Map<string, OneOrMore<T>>, key: string, item: T): void {
  const held = map.get(key);
  if (held === undefined) map.set(key, item);
  else if (Array.isArray(held)) held.push(item);
  else map.set(key, [held, item]);
}
