// Which provider serves which cluster, and which probes show what AWS meets when it fetches a provider's keys.
// Several check families ask these questions; answering them once keeps their notion of "the same issuer" equal.

import type { Facts } from '../facts/index.ts';
import type { Cluster, HostProbe, IssuerProbe, OidcProvider, TlsChain } from '../model/inventory.ts';

const HTTPS_PORT = 443;

/**
 * The cluster whose issuer a provider serves, when the inventory holds it (an issuer belongs to one cluster): in
 * the provider's account, or in another audited account (cross-account IRSA: the role's account registers a
 * provider for another account's cluster, docs/providers.md).
 */
export function clusterOfProvider(facts: Facts, provider: OidcProvider): Cluster | undefined {
  const key = facts.lookup.issuerUrl(provider.url)?.canonical;
  if (key === undefined) return undefined;
  const serving = facts.lookup.clustersWithIssuer(key);
  return serving.find((cluster) => cluster.accountId === provider.accountId) ?? serving[0];
}

/** Absence of a provider only means something when the account's providers were read completely. */
export function providersAudited(facts: Facts, accountId: string): boolean {
  return facts.lookup.account(accountId)?.providersAudited === true;
}

export function rolesAudited(facts: Facts, accountId: string): boolean {
  return facts.lookup.account(accountId)?.rolesAudited === true;
}

/** The TLS probe of a host; IAM provider URLs cannot carry a port, so the HTTPS port is preferred. */
export function hostProbeFor(facts: Facts, host: string): HostProbe | undefined {
  const probes = facts.lookup.host(host);
  return probes.find((probe) => probe.port === HTTPS_PORT) ?? probes[0];
}

/**
 * The discovery probe of an issuer, compared on the form as written (not the alias-folded one): an alias
 * provider is fetched from the alias host, so the canonical issuer's probe says nothing about it.
 */
export function issuerProbeFor(facts: Facts, url: string): IssuerProbe | undefined {
  const key = facts.lookup.issuerUrl(url)?.key;
  if (key === undefined) return undefined;
  return facts.lookup.issuer(key);
}

export interface ServingHost {
  host: string;
  /** `issuer`: the host of the URL itself; `jwks`: the host of the discovery document's `jwks_uri`. */
  role: 'issuer' | 'jwks';
  probe?: HostProbe;
}

/** The hosts STS connects to for an issuer URL: its own host, and the keys host when discovery names another. */
export function hostsServing(facts: Facts, url: string): ServingHost[] {
  const parsed = facts.lookup.issuerUrl(url);
  if (!parsed) return [];
  const hosts: ServingHost[] = [
    { host: parsed.host, role: 'issuer', probe: hostProbeFor(facts, parsed.host) },
  ];
  const jwksHost = issuerProbeFor(facts, url)?.jwksHost?.toLowerCase();
  if (jwksHost !== undefined && jwksHost !== parsed.host) {
    hosts.push({ host: jwksHost, role: 'jwks', probe: hostProbeFor(facts, jwksHost) });
  }
  return hosts;
}

export interface ServingChain {
  host: string;
  role: 'issuer' | 'jwks';
  chain: TlsChain;
}

/** The chains read for each host serving an issuer URL; hosts whose probe has no chain are left out. */
export function chainsServing(facts: Facts, url: string): ServingChain[] {
  return hostsServing(facts, url).flatMap(({ host, role, probe }) =>
    probe?.chain ? [{ host, role, chain: probe.chain }] : [],
  );
}

export interface ProviderLocation {
  /** The region named by the provider's URL (EKS issuers and aliases), else null: IAM itself is global. */
  region: string | null;
  /** The cluster it serves, when the inventory holds it. */
  cluster: string | null;
}

/** Where a provider finding points on-call engineers: IAM is global, but an EKS provider belongs to a cluster. */
export function providerLocation(facts: Facts, provider: OidcProvider): ProviderLocation {
  return {
    region: facts.lookup.issuerUrl(provider.url)?.region ?? null,
    cluster: clusterOfProvider(facts, provider)?.name ?? null,
  };
}
