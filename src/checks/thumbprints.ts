// Whether a provider's configured thumbprints still name a CA of the chains STS meets, and whether the list has
// room for a rotation. docs/thumbprints.md.

import type { Facts } from '../facts/index.ts';
import type { CertificateInfo, OidcProvider } from '../model/inventory.ts';
import { parseIssuerUrl } from '../naming/issuer-url.ts';
import { normaliseThumbprint } from '../naming/thumbprint.ts';
import { type CaCertificate, caCertificatesOf, describeSighting } from './ca-certificates.ts';
import { type FamilyFinding, family } from './family.ts';
import { makeFinding } from './finding.ts';
import {
  hostsServing,
  type ProviderLocation,
  providerLocation,
  type ServingChain,
} from './issuer-matching.ts';
import {
  type Steps,
  shellQuote,
  showCertificatesCommand,
  steps,
  updateThumbprintsCommand,
} from './remediation.ts';

/** What this family may emit (src/checks/family.ts). */
type ThumbprintsFinding = FamilyFinding<'thumbprints'>;

/** IAM's limit on thumbprints per provider. */
export const MAX_THUMBPRINTS = 5;

export const checkThumbprints = family('thumbprints', (facts) =>
  facts.inventory.providers.flatMap((provider) => {
    const view = thumbprintView(facts, provider);
    const where = providerLocation(facts, provider);
    return [...thumbprintMismatch(provider, view, where), ...slotsFull(provider, view, where)];
  }),
);

interface ThumbprintView {
  configured: string[];
  /** Chains read for the hosts serving the provider's URL. */
  chains: ServingChain[];
  /** Every serving host has a chain: only then can "matches none" be said. */
  complete: boolean;
  candidates: CaCertificate[];
  matched: CaCertificate[];
  /** What AWS's procedure (and eksctl, Terraform) would configure today, from the keys endpoint's chain. */
  fresh?: { host: string; certificate: CertificateInfo };
}

function thumbprintView(facts: Facts, provider: OidcProvider): ThumbprintView {
  const configured = [
    ...new Set(provider.thumbprints.map(normaliseThumbprint).filter((value) => value !== '')),
  ];
  const hosts = hostsServing(facts, provider.url);
  const chains = hosts.flatMap(({ host, role, probe }) =>
    probe?.chain ? [{ host, role, chain: probe.chain }] : [],
  );
  const candidates = caCertificatesOf(chains);
  const matched = candidates.filter(({ certificate }) => configured.includes(certificate.sha1.toLowerCase()));
  // The keys endpoint is what STS verifies: the jwks host when discovery names another host.
  const keysChain =
    chains.find((chain) => chain.role === 'jwks') ?? chains.find((chain) => chain.role === 'issuer');
  const freshCertificate = keysChain ? topCaCertificate(keysChain) : undefined;
  return {
    configured,
    chains,
    complete: hosts.length > 0 && chains.length === hosts.length,
    candidates,
    matched,
    ...(keysChain && freshCertificate
      ? { fresh: { host: keysChain.host, certificate: freshCertificate } }
      : {}),
  };
}

/**
 * The last certificate the server presents, as in AWS's procedure and eksctl. A server that sends its leaf alone
 * would make that the leaf, which rotates yearly; then the top CA of the verified chain stands in.
 */
function topCaCertificate({ chain }: ServingChain): CertificateInfo | undefined {
  const lastPresented = chain.presented.at(-1);
  if (lastPresented?.isCa) return lastPresented;
  return chain.verified.findLast((certificate) => certificate.isCa) ?? lastPresented;
}

function thumbprintMismatch(
  provider: OidcProvider,
  view: ThumbprintView,
  where: ProviderLocation,
): ThumbprintsFinding[] {
  // An empty list is AWS's to fill in; an incomplete view cannot prove that nothing matches.
  if (view.configured.length === 0 || !view.complete || view.matched.length > 0) return [];
  // STS falls back on the thumbprints for chains outside its root library and for TLS 1.3-only endpoints.
  const reliedOn = view.chains.flatMap(({ host, chain }) => [
    ...(chain.publiclyTrusted ? [] : [`${host} is not publicly trusted: ${chain.trustError ?? 'untrusted'}`]),
    ...(chain.tls13Only ? [`${host} speaks TLS 1.3 only`] : []),
  ]);
  const hosts = view.chains.map(({ host }) => host).join(' and ');
  const impact =
    reliedOn.length === 0
      ? 'on its fallback path only (the chain is publicly trusted, so STS normally verifies it against its own root CAs)'
      : `on every call (${reliedOn.join('; ')}, so STS relies on the thumbprints)`;
  const fresh = view.fresh ? [view.fresh.certificate.sha1.toLowerCase()] : [];
  return [
    makeFinding({
      check: 'thumbprint-mismatch',
      severity: reliedOn.length === 0 ? 'low' : 'high',
      accountId: provider.accountId,
      region: where.region,
      resource: provider.arn,
      cluster: where.cluster,
      message:
        `OIDC provider ${provider.url}: no configured thumbprint matches a CA certificate served by ${hosts}, so STS ` +
        `can answer "InvalidIdentityToken: OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint" ${impact}`,
      remediation:
        fresh.length > 0
          ? updateThumbprintsCommand(provider.arn, fresh)
          : steps(
              `# no CA certificate was read; list the chain and use its last certificate's SHA-1:`,
              ...view.chains.map(({ host }) => showCertificatesCommand(host)),
            ),
      evidence: {
        expected: `a thumbprint equal to the SHA-1 of a CA certificate served by ${hosts}`,
        configured: view.configured,
        candidates: view.candidates.map(describeCandidate),
        lastPresented: view.fresh
          ? {
              host: view.fresh.host,
              sha1: view.fresh.certificate.sha1.toLowerCase(),
              subject: view.fresh.certificate.subject,
            }
          : null,
        publiclyTrusted: Object.fromEntries(
          view.chains.map(({ host, chain }) => [host, chain.publiclyTrusted]),
        ),
      },
    }),
  ];
}

function slotsFull(
  provider: OidcProvider,
  view: ThumbprintView,
  where: ProviderLocation,
): ThumbprintsFinding[] {
  if (view.configured.length < MAX_THUMBPRINTS) return [];
  return [
    makeFinding({
      check: 'thumbprint-slots-full',
      severity: 'low',
      accountId: provider.accountId,
      region: where.region,
      resource: provider.arn,
      cluster: where.cluster,
      message: `OIDC provider ${provider.url} holds ${view.configured.length} of ${MAX_THUMBPRINTS} thumbprints: a CA rotation cannot be taken by appending one`,
      remediation: slotsRemediation(provider, view),
      evidence: {
        expected: `at most ${MAX_THUMBPRINTS - 1} thumbprints, leaving a slot for the next rotation`,
        configured: view.configured,
        current: view.matched.map(describeCandidate),
      },
    }),
  ];
}

/** Keep the thumbprints still in use (fresh first) and leave one slot free; without a chain, say how to look. */
function slotsRemediation(provider: OidcProvider, view: ThumbprintView): Steps {
  const inUse = view.matched.map(({ certificate }) => certificate.sha1.toLowerCase());
  const keep = [...new Set([...(view.fresh ? [view.fresh.certificate.sha1.toLowerCase()] : []), ...inUse])];
  if (view.complete && keep.length > 0) {
    return steps(updateThumbprintsCommand(provider.arn, keep.slice(0, MAX_THUMBPRINTS - 1)));
  }
  const hosts =
    view.chains.length > 0
      ? view.chains.map(({ host }) => host)
      : [parseIssuerUrl(provider.url)?.host ?? provider.url];
  return steps(
    `# the issuer's chain was not read; find the CA certificates it serves and keep at most ${MAX_THUMBPRINTS - 1} of their SHA-1s:`,
    ...hosts.map(showCertificatesCommand),
    `# then: aws iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn ${shellQuote(provider.arn)} --thumbprint-list <sha1> ...`,
  );
}

function describeCandidate({ certificate, seen }: CaCertificate) {
  return {
    sha1: certificate.sha1.toLowerCase(),
    subject: certificate.subject,
    seen: seen.map(describeSighting),
  };
}
