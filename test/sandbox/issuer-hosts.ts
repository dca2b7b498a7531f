// From the world to the issuer TLS servers: one host per region with clusters (path /id/<ID> per cluster), one
// per EKS issuer host a provider names, plus hosts and overrides the world declares; then symbolic thumbprints resolved against the real chains.

import { hashHex } from './ids.ts';
import type { IssuerHostSpec, IssuerServers } from './issuers.ts';
import { issuerHost } from './regions.ts';
import type { SandboxState } from './state.ts';
import type { ThumbprintRef } from './world.ts';

type IssuerPath = IssuerHostSpec['issuers'][number];

export function issuerHostSpecs(state: SandboxState): IssuerHostSpec[] {
  const { world } = state;
  const hosts = new Map<string, { profile: IssuerHostSpec['profile']; paths: Map<string, IssuerPath> }>();
  const hostEntry = (host: string) => {
    let entry = hosts.get(host);
    if (!entry) {
      entry = { profile: {}, paths: new Map() };
      hosts.set(host, entry);
    }
    return entry;
  };
  for (const account of state.accounts.values()) {
    for (const [region, clusters] of account.clustersByRegion) {
      const host = issuerHost(state.partition, region);
      for (const cluster of clusters) {
        if (cluster.issuerId === null) continue;
        const path = `/id/${cluster.issuerId}`;
        hostEntry(host).paths.set(path, { path });
      }
    }
  }
  // Every EKS issuer host a provider names is served too, answering 404 for issuers no cluster has: the auditor
  // reads the discovery of providers no cluster serves (orphan proof), and must never leave the loopback for it.
  for (const account of state.accounts.values()) {
    for (const provider of account.providers) {
      const host =
        provider.url
          .replace(/^https:\/\//, '')
          .split('/')[0]
          ?.toLowerCase() ?? '';
      if (host.startsWith('oidc.eks.') || host.startsWith('oidc-eks.')) hostEntry(host);
    }
  }
  for (const declared of world.issuerHosts) {
    const entry = hostEntry(declared.host);
    entry.profile = { ...entry.profile, ...declared.profile };
    for (const issuer of declared.issuers) {
      const path = issuer.path ?? `/id/${issuer.id}`;
      entry.paths.set(path, {
        path,
        ...(issuer.discoveryIssuer === undefined ? {} : { discoveryIssuer: issuer.discoveryIssuer }),
        ...(issuer.jwksUri === undefined ? {} : { jwksUri: issuer.jwksUri }),
      });
    }
  }
  for (const host of world.faults.hangingIssuerHosts) hostEntry(host).profile.hang = true;
  return [...hosts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([host, entry]) => ({ host, profile: entry.profile, issuers: [...entry.paths.values()] }));
}

/** A stand-in thumbprint when there is no chain to take one from (issuers not started, or a hanging host). */
function placeholder(ref: ThumbprintRef): string {
  return hashHex(`thumbprint/${ref.fromIssuerHost}/${ref.cert}`, 40);
}

export function thumbprintResolver(servers: IssuerServers | null): (ref: ThumbprintRef) => string {
  const chains = new Map<string, { presentedSha1: string[]; rootSha1: string }>();
  return (ref) => {
    if (!servers) return placeholder(ref);
    let chain = chains.get(ref.fromIssuerHost);
    if (!chain) {
      chain = servers.chain(ref.fromIssuerHost);
      chains.set(ref.fromIssuerHost, chain);
    }
    const picked =
      ref.cert === 'root'
        ? chain.rootSha1
        : ref.cert === 'leaf'
          ? chain.presentedSha1[0]
          : chain.presentedSha1[chain.presentedSha1.length - 1];
    return picked || placeholder(ref);
  };
}
