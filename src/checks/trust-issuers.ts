// How a trust's breadth is judged for its issuer, from the issuer table (src/model/issuers.ts): who a wide trust
// lets in, how severe that is, and the Condition block that fixes it. An issuer shared by tenants is critical when
// every tenant gets in and high when every workload of one tenant does; an issuer whose URL is one tenant's cannot
// be open to the world, so its widest trust is high (EKS keeps critical: one cluster runs many teams' workloads).
// The severities given here are those the catalog declares (src/model/catalog.ts).

import type { Breadth, ProviderTrust } from '../facts/trust/analysis.ts';
import type { DeclaredSeverity } from '../model/catalog.ts';
import {
  claimNamesOf,
  declarationOfKind,
  guestClaimOf,
  type IssuerDeclaration,
  type Tenancy,
} from '../model/issuers.ts';

function declared(provider: ProviderTrust): IssuerDeclaration | undefined {
  return declarationOfKind(provider.provider.kind);
}

function tenancy(provider: ProviderTrust): Tenancy | undefined {
  return declared(provider)?.tenancy;
}

/** Whether the subject names the workload a security team scopes to: not so where the tenant is the audience. */
export function judgesSubjects(provider: ProviderTrust): boolean {
  return tenancy(provider) !== 'audience';
}

/** `trust-no-sub`: critical, except on an issuer of one tenant (not EKS), where it is every workload of that tenant. */
export function noSubjectSeverity(provider: ProviderTrust): DeclaredSeverity<'trust-no-sub'> {
  return tenancy(provider) === 'issuer' && provider.provider.kind !== 'eks' ? 'high' : 'critical';
}

/** `trust-wildcard-sub`, by breadth: a shared issuer's scope is its tenant, so wider than one scope is everyone. */
export function wildcardSeverity(
  provider: ProviderTrust,
  breadth: Exclude<Breadth, 'none' | 'exact'>,
): DeclaredSeverity<'trust-wildcard-sub'> {
  const shared = tenancy(provider) === 'subject';
  if (breadth === 'scope-wide') return shared ? 'high' : 'medium';
  return shared ? 'critical' : 'high';
}

/** `trust-no-aud`: critical where the audience is what tells tenants apart (Google, Cognito, Facebook, Amazon). */
export function noAudienceSeverity(provider: ProviderTrust): DeclaredSeverity<'trust-no-aud'> {
  return tenancy(provider) === 'audience' ? 'critical' : 'low';
}

/** Who a trust open in the subject lets in: every subject (`any`), or a name in any scope (`crossScope`). */
export function reachOf(provider: ProviderTrust): { any: string; crossScope: string } {
  const ref = provider.provider;
  const cluster = ref.cluster?.name;
  switch (ref.kind) {
    case 'eks':
      return {
        any: `any service account of ${cluster ? `cluster ${cluster}` : 'the cluster'}`,
        crossScope: 'anyone who can create a namespace',
      };
    case 'github':
      return { any: 'any GitHub Actions workflow of any repository', crossScope: 'any GitHub owner' };
    case 'gitlab':
    case 'gitlab-self-managed':
      return { any: `any GitLab CI job on ${ref.issuer.host}`, crossScope: 'any group' };
    default: {
      const issuer = declared(provider);
      if (!issuer) return { any: `any token of ${ref.issuer.host}`, crossScope: 'any subject' };
      const scope = provider.scheme.scopeNoun;
      return issuer.tenancy === 'subject'
        ? { any: `any ${issuer.name} job of any ${scope}`, crossScope: `any ${issuer.name} ${scope}` }
        : { any: `any ${issuer.name} job of ${ref.url}`, crossScope: `any ${scope} of ${ref.url}` };
    }
  }
}

/** Who a trust open in the audience lets in. */
export function audienceReach(provider: ProviderTrust): string {
  const issuer = declared(provider);
  // The table says who, after the condition that opens it: "no `aud`: any Google account".
  return issuer?.tenancy === 'audience'
    ? `${issuer.worldOpen.slice(issuer.worldOpen.indexOf(': ') + 2)} can assume the role`
    : `any audience the provider accepts${provider.provider.audiences ? ` (${provider.provider.audiences.join(', ')})` : ''} is let in; weaker, not a bypass on its own`;
}

/** The condition key of the subject or audience claim, as the provider's URL is written in the principal. */
export function claimKey(provider: ProviderTrust, which: 'subject' | 'audience'): string {
  return `${provider.provider.url}:${claimNamesOf(provider.provider.kind)[which]}`;
}

export function expectedAudience(provider: ProviderTrust): string {
  const fixed = declared(provider)?.audience;
  if (fixed !== undefined && !fixed.includes('<')) return fixed;
  return provider.provider.audiences?.[0] ?? fixed ?? `https://${provider.provider.issuer.key}`;
}

/**
 * The recommended Condition block (EKS best practices, and each issuer's own guide): the subject and the audience,
 * `StringLike` where the recommended subject keeps a wildcard (a CircleCI user, a Buildkite commit); the audience
 * alone where it is the tenant, with Cognito's `amr` requiring signed-in identities.
 */
export function recommendedCondition(provider: ProviderTrust, subject?: string): string {
  const audience = { [claimKey(provider, 'audience')]: expectedAudience(provider) };
  if (!judgesSubjects(provider)) {
    return JSON.stringify({ Condition: { StringEquals: audience, ...signedInCondition(provider) } });
  }
  const wanted = subject ?? provider.scheme.recommendedSubject(fixedScope(provider));
  const sub = { [claimKey(provider, 'subject')]: wanted };
  const condition = wanted.includes('*')
    ? { StringEquals: audience, StringLike: sub }
    : { StringEquals: { ...sub, ...audience } };
  return JSON.stringify({ Condition: condition });
}

/**
 * The condition that keeps guests out where the issuer has guests (Cognito: `amr` requiring `authenticated`; `amr`
 * is multivalued, hence the set operator), from the issuer table; empty elsewhere.
 */
export function signedInCondition(provider: ProviderTrust): Record<string, Record<string, string>> {
  const guest = guestClaimOf(provider.provider.kind);
  if (!guest) return {};
  return { 'ForAnyValue:StringLike': { [guestKey(provider, guest.claim)]: guest.signedIn } };
}

/** The condition key of the guest claim, as the provider's URL is written in the principal. */
export function guestKey(provider: ProviderTrust, claim: string): string {
  return `${provider.provider.url}:${claim}`;
}

/** The scope the issuer URL fixes (CircleCI's organization id, Bitbucket's workspace), else undefined. */
export function fixedScope(provider: ProviderTrust): string | undefined {
  const { scheme } = provider;
  if (!scheme.scopeFixedByIssuer) return undefined;
  const path = provider.provider.issuer.path;
  return scheme.scopeOfIssuerPath ? scheme.scopeOfIssuerPath(path) : path.split('/').at(-1);
}
