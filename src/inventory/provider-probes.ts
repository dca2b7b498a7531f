import type { Cluster, OidcProvider } from '../model/inventory.ts';
import { issuerMatchKey, parseIssuerUrl } from '../naming/issuer-url.ts';

/**
 * When to probe the issuer of an EKS provider that may serve no audited cluster (docs/providers.md: only its
 * issuer can prove it orphaned or external). Whether it serves one is known only once every account's clusters
 * are read, but an EKS issuer names its region, so only that region's clusters can serve it; and a provider
 * nearly always serves a cluster of its own account and region. So its issuer is probed as soon as its own
 * account and region are read with no cluster found serving it: early in the run, whatever another region does
 * (a hung one holds the end of the inventory until the time budget stops all new work). The decision itself
 * waits for the end, on every cluster; a probe started for a provider that a later cluster serves is then left
 * out of the result (collect.ts keeps only the issuers it needs), so the report says what it said before.
 */
export interface ProviderProbes {
  /** An account's providers are listed. */
  providersListed(accountId: string, providers: readonly OidcProvider[]): void;
  /** The clusters of an account's region are read, all of them. */
  clustersRead(accountId: string, region: string, clusters: readonly Cluster[]): void;
  /** After the last read: `https://<url>` of each EKS provider no cluster serves, in the order listed. */
  unserved(): string[];
}

interface EksProvider {
  /** What is probed: `https://<url>`, the URL as IAM stores it. */
  issuer: string;
  /** The issuer tokens carry: what a cluster serving the provider has. */
  canonical: string;
}

export function scheduleProviderProbes(probe: (issuer: string) => void): ProviderProbes {
  const providers: EksProvider[] = [];
  const served = new Set<string>();
  // Providers listed before their account's region was read, by `account region`; and the regions read.
  const waiting = new Map<string, EksProvider[]>();
  const read = new Set<string>();

  const probeIfUnserved = (provider: EksProvider) => {
    if (served.has(provider.canonical)) return;
    probe(provider.issuer);
  };

  return {
    providersListed(accountId, listed) {
      for (const { url } of listed) {
        const parsed = parseIssuerUrl(url);
        if ((parsed?.kind !== 'eks' && parsed?.kind !== 'eks-alias') || parsed.region === undefined) continue;
        const provider = { issuer: `https://${url}`, canonical: parsed.canonical };
        providers.push(provider);
        const place = `${accountId} ${parsed.region}`;
        if (read.has(place)) probeIfUnserved(provider);
        else {
          const list = waiting.get(place) ?? [];
          list.push(provider);
          waiting.set(place, list);
        }
      }
    },
    clustersRead(accountId, region, clusters) {
      for (const cluster of clusters) {
        const key = cluster.issuer ? issuerMatchKey(cluster.issuer) : undefined;
        if (key !== undefined) served.add(key);
      }
      const place = `${accountId} ${region}`;
      read.add(place);
      for (const provider of waiting.get(place) ?? []) probeIfUnserved(provider);
      waiting.delete(place);
    },
    unserved: () => providers.flatMap((p) => (served.has(p.canonical) ? [] : [p.issuer])),
  };
}
