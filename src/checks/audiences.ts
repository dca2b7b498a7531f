// Which token audiences an EKS provider accepts. Projected tokens carry `aud: sts.amazonaws.com` in every
// partition, China included (docs/irsa.md); anything else only widens which tokens STS accepts (docs/providers.md).

import type { OidcProvider } from '../model/inventory.ts';
import { type FamilyFinding, family } from './family.ts';
import { makeFinding } from './finding.ts';
import { type ProviderLocation, providerLocation } from './issuer-matching.ts';
import { addClientIdCommand, removeClientIdCommand, STS_AUDIENCE, steps } from './remediation.ts';

/** What this family may emit (src/checks/family.ts). */
type AudiencesFinding = FamilyFinding<'audiences'>;

export const checkAudiences = family('audiences', (facts) =>
  facts.inventory.providers.flatMap((provider) => {
    const parsed = facts.lookup.issuerUrl(provider.url);
    // GitHub, GitLab and other providers use audiences of their own choosing.
    if (parsed?.kind !== 'eks' && parsed?.kind !== 'eks-alias') return [];
    const where = providerLocation(facts, provider);
    return [...audienceMissing(provider, where), ...audienceExtra(provider, where)];
  }),
);

function audienceMissing(provider: OidcProvider, where: ProviderLocation): AudiencesFinding[] {
  // Exact match: IAM compares client IDs as strings, so `STS.amazonaws.com` or a stray space does not count.
  if (provider.clientIds.includes(STS_AUDIENCE)) return [];
  return [
    makeFinding({
      check: 'audience-missing',
      severity: 'high',
      accountId: provider.accountId,
      region: where.region,
      resource: provider.arn,
      cluster: where.cluster,
      message: `OIDC provider ${provider.url} does not accept audience ${STS_AUDIENCE}; IRSA calls fail with "InvalidIdentityToken: Incorrect token audience"`,
      remediation: addClientIdCommand(provider.arn, STS_AUDIENCE),
      evidence: { expected: [STS_AUDIENCE], found: provider.clientIds },
    }),
  ];
}

function audienceExtra(provider: OidcProvider, where: ProviderLocation): AudiencesFinding[] {
  const extras = provider.clientIds.filter((clientId) => clientId !== STS_AUDIENCE);
  if (extras.length === 0) return [];
  return [
    makeFinding({
      check: 'audience-extra',
      severity: 'info',
      accountId: provider.accountId,
      region: where.region,
      resource: provider.arn,
      cluster: where.cluster,
      message: `OIDC provider ${provider.url} accepts audiences beyond ${STS_AUDIENCE}: ${extras.join(', ')}`,
      remediation: steps(...extras.map((clientId) => removeClientIdCommand(provider.arn, clientId))),
      evidence: { expected: [STS_AUDIENCE], found: provider.clientIds, extra: extras },
    }),
  ];
}
