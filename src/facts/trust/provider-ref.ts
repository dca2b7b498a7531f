// An OIDC provider as a trust policy names it (`Principal.Federated`), and what the inventory says of it: whether
// it exists in the role's account, which cluster issues its tokens, and so whether STS could ever match it. The
// web identity providers built into STS (Google, Cognito, Facebook, Amazon) are named by their bare host instead:
// no IAM provider exists for them, so they are neither in an account nor ever missing.

import type { Cluster, OidcProvider } from '../../model/inventory.ts';
import { BUILT_IN_HOSTS } from '../../model/issuers.ts';
import { isPartition, parseArn, partitionOfRegion } from '../../naming/arn.ts';
import { type IssuerKind, type IssuerUrl, parseIssuerUrl } from '../../naming/issuer-url.ts';
import type { InventoryLookup } from '../lookup.ts';

export interface ProviderRef {
  /** As the policy writes it. */
  arn: string;
  partition: string;
  accountId: string;
  /** The provider URL part of the ARN, as written. */
  url: string;
  issuer: IssuerUrl;
  kind: IssuerKind;
  /** The EKS region of the issuer, else null. */
  region: string | null;
  /** Lowercase prefix of its condition keys: `<host/path>`, so `<prefix>:sub` and `<prefix>:aud`. */
  keyPrefix: string;
  /** A provider built into STS, named by its bare host: partition and account are then ''. */
  builtIn: boolean;
}

/**
 * Why STS could never match this provider for the role, or 'ok'. `cluster-gone` still lets a token in if the
 * cluster lives in an account outside the audit, so it does not make the provider dead (see `isLive`).
 */
export type ProviderStatus =
  | 'ok'
  | 'unverified'
  | 'other-account'
  | 'wrong-partition'
  | 'missing'
  | 'alias'
  | 'cluster-gone';

export interface ResolvedProvider extends ProviderRef {
  status: ProviderStatus;
  /** The inventory's provider with this ARN's account and URL. */
  registered: OidcProvider | undefined;
  /** The cluster whose issuer this is, from anywhere in the inventory. */
  cluster: Cluster | undefined;
  /** Audiences tokens may carry: the provider's client IDs, or undefined when the provider was not read. */
  audiences: readonly string[] | undefined;
}

/**
 * Parses `arn:<partition>:iam::<account>:oidc-provider/<url>`; undefined for any other principal. The facts step
 * passes its shared parser of issuer URLs (InventoryLookup.issuerUrl).
 */
export function providerRefOf(
  arn: string,
  parseUrl: (url: string) => IssuerUrl | undefined = parseIssuerUrl,
): ProviderRef | undefined {
  const bare = arn.trim().toLowerCase();
  if (BUILT_IN_HOSTS.includes(bare)) return builtInRef(arn, bare, parseUrl);
  const parsed = parseArn(arn.trim());
  if (parsed?.service !== 'iam' || !parsed.resource.startsWith('oidc-provider/')) return undefined;
  const url = parsed.resource.slice('oidc-provider/'.length);
  const issuer = parseUrl(url);
  if (!issuer) return undefined;
  return {
    arn,
    partition: parsed.partition,
    accountId: parsed.accountId,
    url,
    issuer,
    kind: issuer.kind,
    region: issuer.region ?? null,
    keyPrefix: issuer.key.toLowerCase(),
    builtIn: false,
  };
}

function builtInRef(
  written: string,
  host: string,
  parseUrl: (url: string) => IssuerUrl | undefined,
): ProviderRef | undefined {
  const issuer = parseUrl(host);
  if (!issuer) return undefined;
  return {
    arn: written,
    partition: '',
    accountId: '',
    url: host,
    issuer,
    kind: issuer.kind,
    region: null,
    keyPrefix: host,
    builtIn: true,
  };
}

/** Whether a condition key prefix (`accounts.google.com`) is a provider built into STS. */
export function isBuiltInHost(prefix: string): boolean {
  return BUILT_IN_HOSTS.includes(prefix.toLowerCase());
}

/** A provider for an issuer named only by condition keys, as it would exist in the role's account. */
export function providerRefForKeyPrefix(
  prefix: string,
  partition: string,
  accountId: string,
): ProviderRef | undefined {
  if (isBuiltInHost(prefix)) return providerRefOf(prefix);
  return providerRefOf(`arn:${partition}:iam::${accountId}:oidc-provider/${prefix}`);
}

/** Same account, partition and URL: host compared case-insensitively, path exactly (docs/irsa.md). */
export function sameProvider(a: ProviderRef, b: ProviderRef): boolean {
  return a.partition === b.partition && a.accountId === b.accountId && a.issuer.key === b.issuer.key;
}

export function resolveProvider(
  ref: ProviderRef,
  roleAccountId: string,
  rolePartition: string,
  lookup: InventoryLookup,
): ResolvedProvider {
  const registered = lookup.providerAt(ref.accountId, ref.issuer.key);
  const cluster = clusterForIssuer(lookup, ref.issuer.canonical, ref.accountId);
  const account = lookup.account(ref.accountId);
  const audited = account?.providersAudited === true;
  // Built field by field, not spread from `ref`: an organization's analyses hold hundreds of thousands of these,
  // and a spread object got a hidden class of its own each (docs/performance.md, merge memory).
  const resolved = (status: ProviderStatus): ResolvedProvider => ({
    arn: ref.arn,
    partition: ref.partition,
    accountId: ref.accountId,
    url: ref.url,
    issuer: ref.issuer,
    kind: ref.kind,
    region: ref.region,
    keyPrefix: ref.keyPrefix,
    builtIn: ref.builtIn,
    status,
    registered,
    cluster,
    audiences: registered?.clientIds,
  });

  // Built into STS: present in every account and partition, with nothing to read.
  if (ref.builtIn) return resolved('ok');
  if (ref.accountId !== roleAccountId) return resolved('other-account');
  if (ref.partition !== rolePartition || !partitionFits(ref)) return resolved('wrong-partition');
  if (audited && !registered) return resolved('missing');
  if (ref.kind === 'eks-alias') return resolved('alias');
  const regionAudited = ref.region !== null && account?.regionsAudited.includes(ref.region) === true;
  // No audited cluster has the issuer; if the issuer still serves its discovery document, the cluster lives in an
  // account outside the audit (docs/providers.md), and the statement may well work.
  const external = lookup.issuer(ref.issuer.key)?.discovery !== undefined;
  if (ref.kind === 'eks' && !cluster && regionAudited && !external) return resolved('cluster-gone');
  return resolved(audited ? 'ok' : 'unverified');
}

/** Whether a token could reach this statement at all: otherwise breadth findings would be noise. */
export function isLive(provider: ResolvedProvider): boolean {
  return provider.status === 'ok' || provider.status === 'unverified' || provider.status === 'cluster-gone';
}

/** The cluster issuing tokens for an issuer, preferring one in `accountId` (cross-account IRSA is legitimate). */
export function clusterForIssuer(
  lookup: InventoryLookup,
  canonical: string,
  accountId: string,
): Cluster | undefined {
  const matching = lookup.clustersWithIssuer(canonical);
  return matching.find((cluster) => cluster.accountId === accountId) ?? matching[0];
}

/** EKS issuer hosts carry their partition: `.amazonaws.com.cn` and `cn-*` regions are aws-cn, and so on. */
function partitionFits(ref: ProviderRef): boolean {
  if (!isPartition(ref.partition)) return false;
  if (ref.region === null) return true;
  const byRegion = partitionOfRegion(ref.region);
  const chinaHost = ref.issuer.host.endsWith('.cn');
  return byRegion === ref.partition && chinaHost === (ref.partition === 'aws-cn');
}
