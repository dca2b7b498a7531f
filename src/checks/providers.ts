// Does every cluster's issuer have an IAM OIDC provider STS can find, and does every EKS provider still have a
// cluster? docs/irsa.md and docs/providers.md.

import type { Facts } from '../facts/index.ts';
import type { Finding } from '../model/finding.ts';
import type { Cluster, OidcProvider } from '../model/inventory.ts';
import { isPartition, oidcProviderArn, parseArn, partitionOfRegion } from '../naming/arn.ts';
import { issuerMatchKey, parseIssuerUrl } from '../naming/issuer-url.ts';
import { makeFinding } from './finding.ts';
import { providersAudited, rolesAudited, servesCluster } from './issuer-matching.ts';
import {
  associateProviderCommand,
  createProviderCommand,
  deleteProviderCommand,
  steps,
} from './remediation.ts';
import type { Check } from './types.ts';

const PROVIDER_QUOTA =
  'OpenIdConnectProvidersPerAccount: 100 by default, raisable to 700 (Service Quotas code L-858F3967)';

export const checkProviders: Check = (facts) => [
  ...facts.inventory.clusters.flatMap((cluster) => clusterProviderFindings(facts, cluster)),
  ...facts.inventory.providers.flatMap((provider) => orphanFindings(facts, provider)),
];

function clusterProviderFindings(facts: Facts, cluster: Cluster): Finding[] {
  if (cluster.issuer === null || !providersAudited(facts, cluster.accountId)) return [];
  const key = issuerMatchKey(cluster.issuer);
  if (key === undefined) return [];
  const serving = facts.lookup.providersFor(cluster.accountId, key);
  if (serving.some(isRegisteredAsWritten)) return [];
  if (serving.length === 0) return [providerMissing(facts, cluster, cluster.issuer, key)];
  return [aliasOnly(facts, cluster, cluster.issuer, key, serving)];
}

/** A provider registered under the URL tokens carry, not under the dual-stack alias standing for it. */
function isRegisteredAsWritten(provider: OidcProvider): boolean {
  const parsed = parseIssuerUrl(provider.url);
  return parsed !== undefined && parsed.key === parsed.canonical;
}

function noProviderSymptom(issuer: string): string {
  return `InvalidIdentityToken: No OpenIDConnect provider found in your account for ${issuer}`;
}

function providerMissing(facts: Facts, cluster: Cluster, issuer: string, key: string): Finding {
  const trusting = facts.lookup.rolesTrusting(cluster.accountId, key).map((role) => role.arn);
  const rolesKnown = rolesAudited(facts, cluster.accountId);
  // A cluster without a provider is only broken when something relies on IRSA: EKS Pod Identity needs none.
  const inUse = trusting.length > 0;
  const why = inUse
    ? `${trusting.length} role(s) trust this issuer, so their pods cannot assume them`
    : rolesKnown
      ? 'no role trusts this issuer: fine if the cluster uses EKS Pod Identity rather than IRSA'
      : 'roles were not audited, so whether IRSA is in use is unknown';
  return makeFinding({
    check: 'provider-missing',
    severity: inUse ? 'high' : 'medium',
    accountId: cluster.accountId,
    region: cluster.region,
    resource: cluster.arn,
    cluster: cluster.name,
    message: `Cluster ${cluster.name} has no IAM OIDC provider for its issuer ("${noProviderSymptom(issuer)}"); ${why}`,
    remediation: steps(
      associateProviderCommand(cluster.name, cluster.region),
      `# or, without eksctl: ${createProviderCommand(issuer)}`,
    ),
    evidence: {
      expected: `an IAM OIDC provider with URL ${key} in account ${cluster.accountId}`,
      found: 'no provider for this issuer',
      issuer,
      rolesTrustingIssuer: trusting,
      rolesAudited: rolesKnown,
    },
  });
}

function aliasOnly(
  facts: Facts,
  cluster: Cluster,
  issuer: string,
  key: string,
  aliases: readonly OidcProvider[],
): Finding {
  const aliasArns = aliases.map((provider) => provider.arn);
  const canonicalArn = oidcProviderArn(partitionOf(cluster), cluster.accountId, key);
  // Roles naming the alias ARN keep failing after the fix until their principal names the canonical provider.
  const rolesOnAlias = [
    ...new Set(
      aliasArns.flatMap((arn) => facts.lookup.rolesNaming(cluster.accountId, arn).map((r) => r.arn)),
    ),
  ].sort();
  const repointRoles =
    rolesOnAlias.length > 0
      ? [
          `# then set Principal.Federated to ${canonicalArn} in the trust policy of: ${rolesOnAlias.join(', ')}`,
        ]
      : [];
  return makeFinding({
    check: 'provider-alias-url',
    severity: 'high',
    accountId: cluster.accountId,
    region: cluster.region,
    resource: cluster.arn,
    cluster: cluster.name,
    message:
      `Cluster ${cluster.name}'s issuer is registered only under the dual-stack alias ` +
      `${aliases.map((provider) => provider.url).join(', ')}; tokens carry ${issuer}, so STS answers ` +
      `"${noProviderSymptom(issuer)}"`,
    remediation: steps(
      createProviderCommand(issuer),
      ...repointRoles,
      ...aliasArns.map(deleteProviderCommand),
    ),
    evidence: {
      expected: `an IAM OIDC provider with URL ${key}`,
      found: aliases.map((provider) => provider.url),
      aliasProviders: aliasArns,
      rolesTrustingAlias: rolesOnAlias,
    },
  });
}

function orphanFindings(facts: Facts, provider: OidcProvider): Finding[] {
  const parsed = parseIssuerUrl(provider.url);
  if (!parsed || (parsed.kind !== 'eks' && parsed.kind !== 'eks-alias') || parsed.region === undefined)
    return [];
  const region = parsed.region;
  const account = facts.lookup.account(provider.accountId);
  // Only a region whose clusters were all read can prove the cluster is gone.
  if (!account?.providersAudited || !account.regionsAudited.includes(region)) return [];
  const clustersInRegion = facts.lookup.clustersIn(provider.accountId, region);
  if (clustersInRegion.some((cluster) => servesCluster(provider, cluster))) return [];

  const trusting = facts.lookup.rolesTrusting(provider.accountId, parsed.canonical).map((role) => role.arn);
  const rolesKnown = rolesAudited(facts, provider.accountId);
  const warning =
    trusting.length > 0
      ? [`# roles still trust this provider; remove those statements first: ${trusting.join(', ')}`]
      : [];
  return [
    makeFinding({
      check: 'provider-orphaned',
      severity: 'low',
      accountId: provider.accountId,
      region,
      resource: provider.arn,
      cluster: null,
      message:
        `OIDC provider ${provider.url} has no cluster in ${provider.accountId}/${region}; leftover providers are how ` +
        'accounts hit "LimitExceeded ... OpenIdConnectProvidersPerAccount" (100 by default)',
      remediation: steps(...warning, deleteProviderCommand(provider.arn)),
      evidence: {
        expected: `a cluster in ${provider.accountId}/${region} with issuer https://${parsed.canonical}`,
        found: `no such cluster among the ${clustersInRegion.length} cluster(s) audited there`,
        regionAudited: true,
        rolesStillTrusting: trusting,
        rolesAudited: rolesKnown,
        ...(trusting.length > 0
          ? { warning: 'roles still trust this provider; deleting it breaks them for good' }
          : {}),
        quota: PROVIDER_QUOTA,
      },
    }),
  ];
}

function partitionOf(cluster: Cluster) {
  const partition = parseArn(cluster.arn)?.partition ?? '';
  return isPartition(partition) ? partition : partitionOfRegion(cluster.region);
}
