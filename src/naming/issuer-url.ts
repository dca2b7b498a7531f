// Issuer URLs as EKS reports them, as IAM stores them (no scheme) and as trust policies name them
// (no scheme, as condition key prefixes). docs/irsa.md (issuer URLs): host compared case-insensitively, path exactly,
// one trailing slash ignored; the dual-stack alias is normalised to the issuer tokens actually carry.

import { type IssuerId, issuerOfUrl } from '../model/issuers.ts';
import { type StringPool, unpooled } from '../runtime/compact.ts';

/** An issuer of the table (src/model/issuers.ts), the EKS dual-stack alias, or one the auditor does not know. */
export type IssuerKind = IssuerId | 'eks-alias' | 'other';

export interface IssuerUrl {
  /** Lowercase host. */
  host: string;
  /** Path without a trailing slash, case kept; '' for a bare host. */
  path: string;
  kind: IssuerKind;
  /** Region, for EKS issuers and aliases. */
  region?: string;
  /** The cluster's OIDC id, for EKS issuers and aliases. */
  id?: string;
  /** `host+path` of the issuer tokens carry: for an alias, the `oidc.eks...` form it stands for. */
  canonical: string;
  /** `host+path` as written (lowercase host): the form IAM stores. */
  key: string;
}

const EKS_HOST = /^oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;
const EKS_ALIAS_HOST = /^oidc-eks\.([a-z0-9-]+)\.api\.aws$/;
const EKS_PATH = /^\/id\/([0-9A-Za-z]+)$/;

/**
 * Parses an issuer or provider URL, with or without `https://`. Returns undefined when it has no host. `texts`, a
 * pool of texts (src/runtime/compact.ts), gives the host and region, which many issuers share, one copy.
 */
export function parseIssuerUrl(raw: string, texts: StringPool = unpooled): IssuerUrl | undefined {
  const url = withoutScheme(raw);
  const slash = url.indexOf('/');
  const host = texts((slash === -1 ? url : url.slice(0, slash)).toLowerCase());
  let path = slash === -1 ? '' : url.slice(slash);
  if (path.endsWith('/')) path = path.slice(0, -1);
  if (host === '' || /[\s/:?#]/.test(host)) return undefined;
  // As written, as a rule (IAM keeps provider URLs so): then the text handed in, not a copy of it.
  const key = url.length === host.length + path.length && url.startsWith(host) ? url : host + path;

  const eks = EKS_HOST.exec(host);
  const alias = eks ? null : EKS_ALIAS_HOST.exec(host);
  const idMatch = EKS_PATH.exec(path);
  if ((eks || alias) && idMatch) {
    const region = texts((eks ?? alias)?.[1] ?? '');
    const id = idMatch[1] ?? '';
    const canonical = eks ? key : `oidc.eks.${region}.amazonaws.com${path}`;
    return { host, path, kind: eks ? 'eks' : 'eks-alias', region, id, canonical, key };
  }
  return { host, path, kind: issuerOfUrl(host, key) ?? 'other', canonical: key, key };
}

/** The URL trimmed and without its `https://`: what parseIssuerUrl reads, and so what gives the same result. */
export function withoutScheme(raw: string): string {
  const url = raw.trim();
  return url.length >= 8 && url.slice(0, 8).toLowerCase() === 'https://' ? url.slice(8) : url;
}

/** The form to match providers, clusters and trust policy keys on: `host+path` of the issuer tokens carry. */
export function issuerMatchKey(raw: string): string | undefined {
  return parseIssuerUrl(raw)?.canonical;
}
