// Whether a CA certificate of the chains serving a provider has expired or soon will. docs/thumbprints.md (CA expiry): the earliest
// notAfter among the CA certificates counts, since intermediates and cross-signs change long before the root.

import type { Facts } from '../facts/index.ts';
import type { OidcProvider } from '../model/inventory.ts';
import { type CaCertificate, caCertificatesOf, describeSighting } from './ca-certificates.ts';
import { type FamilyFinding, family } from './family.ts';
import { makeFinding } from './finding.ts';
import { chainsServing, providerLocation } from './issuer-matching.ts';
import { shellQuote, showCertificatesCommand, steps } from './remediation.ts';
import type { CheckContext } from './types.ts';

/** What this family may emit (src/checks/family.ts). */
type CertificatesFinding = FamilyFinding<'certificates'>;

const DAY_MS = 86_400_000;

export const checkCertificates = family('certificates', (facts, context) =>
  facts.inventory.providers.flatMap((provider) => expiryFindings(facts, provider, context)),
);

function expiryFindings(facts: Facts, provider: OidcProvider, context: CheckContext): CertificatesFinding[] {
  const chains = chainsServing(facts, provider.url);
  const earliest = earliestExpiring(caCertificatesOf(chains));
  if (!earliest) return [];
  const { ca, notAfter } = earliest;
  const msLeft = notAfter.getTime() - context.now.getTime();
  const expired = msLeft < 0;
  if (!expired && msLeft > context.caWarnDays * DAY_MS) return [];

  const daysLeft = Math.floor(msLeft / DAY_MS);
  const sha1 = ca.certificate.sha1.toLowerCase();
  const seen = ca.seen.map(describeSighting);
  const hosts = [...new Set(ca.seen.map(({ host }) => host))];
  const where = providerLocation(facts, provider);
  const kind = facts.lookup.issuerUrl(provider.url)?.kind;
  const isEks = kind === 'eks' || kind === 'eks-alias';
  const state = expired
    ? `expired on ${notAfter.toISOString()}`
    : `expires on ${notAfter.toISOString()} (${daysLeft} days left)`;
  // Only the configured thumbprint is ours to change; the certificate belongs to whoever runs the host.
  const refresh =
    provider.thumbprints.length > 0
      ? [
          `# once the chain is renewed, configure its last certificate's SHA-1: aws iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn ${shellQuote(provider.arn)} --thumbprint-list <sha1>`,
        ]
      : [];
  return [
    makeFinding({
      ...(expired
        ? ({ check: 'ca-expired', severity: 'high' } as const)
        : ({ check: 'ca-expiring', severity: 'medium' } as const)),
      discriminator: sha1,
      accountId: provider.accountId,
      region: where.region,
      resource: provider.arn,
      cluster: where.cluster,
      message:
        `CA certificate "${ca.certificate.subject}" served by ${hosts.join(' and ')} for OIDC provider ${provider.url} ${state}` +
        (expired
          ? '; a TLS client that builds its chain through it fails verification, and IRSA with InvalidIdentityToken'
          : ''),
      remediation: steps(
        isEks
          ? '# AWS rotates the certificates of EKS issuers; check the chain the host serves now:'
          : `# renew or replace this certificate on ${hosts.join(' and ')}; check the chain the host serves now:`,
        ...hosts.map(showCertificatesCommand),
        ...refresh,
      ),
      evidence: {
        expected: expired
          ? 'every CA certificate of the chain valid now'
          : `every CA certificate of the chain valid for more than ${context.caWarnDays} days`,
        subject: ca.certificate.subject,
        issuer: ca.certificate.issuer,
        notAfter: notAfter.toISOString(),
        daysLeft,
        sha1,
        seen,
      },
    }),
  ];
}

/** The CA certificate with the earliest notAfter; ties go to the lower SHA-1 so the choice never flickers. */
function earliestExpiring(cas: readonly CaCertificate[]): { ca: CaCertificate; notAfter: Date } | undefined {
  let earliest: { ca: CaCertificate; notAfter: Date } | undefined;
  for (const ca of cas) {
    const notAfter = new Date(ca.certificate.notAfter);
    if (Number.isNaN(notAfter.getTime())) continue;
    const diff = earliest ? notAfter.getTime() - earliest.notAfter.getTime() : -1;
    if (diff < 0 || (diff === 0 && earliest && ca.certificate.sha1 < earliest.ca.certificate.sha1)) {
      earliest = { ca, notAfter };
    }
  }
  return earliest;
}
