// Does every cluster's issuer have an IAM OIDC provider STS can find, and does every EKS provider still have a
// cluster? docs/irsa.md and docs/providers.md.

import type { Facts } from '../facts/index.ts';
import type { Finding } from '../model/finding.ts';
import type { Cluster, OidcProvider } from '../model/inventory.ts';
import { isPartition, oidcProviderArn, parseArn, partitionOfRegion } from '../naming/arn.ts';
import { type FamilyFinding, family } from './family.ts';
import { clusterPlace, makeFinding } from './finding.ts';
import { clusterOfProvider, providersAudited, rolesAudited } from './issuer-matching.ts';
import {
  associateProviderCommand,
  createProviderCommand,
  deleteProviderCommand,
  shellQuote,
  steps,
} from './remediation.ts';

/** What this family may emit (src/checks/family.ts). */
type ProvidersFinding = FamilyFinding<'providers'>;

const PROVIDER_QUOTA =
  'OpenIdConnectProvidersPerAccount: 100 by default, raisable to 700 (Service Quotas code L-858F3967)';

export const checkProviders = family('providers', (facts) => [
  ...facts.inventory.clusters.flatMap((cluster) => clusterProviderFindings(facts, cluster)),
  ...facts.inventory.providers.flatMap((provider) => orphanFindings(facts, provider)),
]);

function clusterProviderFindings(facts: Facts, cluster: Cluster): ProvidersFinding[] {
  if (cluster.issuer === null || !providersAudited(facts, cluster.accountId)) return [];
  const key = facts.lookup.issuerUrl(cluster.issuer)?.canonical;
  if (key === undefined) return [];
  const serving = facts.lookup.providersFor(cluster.accountId, key);
  if (serving.some((provider) => isRegisteredAsWritten(facts, provider))) return [];
  if (serving.length === 0) return [providerMissing(facts, cluster, cluster.issuer, key)];
  return [aliasOnly(facts, cluster, cluster.issuer, key, serving)];
}

/** A provider registered under the URL tokens carry, not under the dual-stack alias standing for it. */
function isRegisteredAsWritten(facts: Facts, provider: OidcProvider): boolean {
  const parsed = facts.lookup.issuerUrl(provider.url);
  return parsed !== undefined && parsed.key === parsed.canonical;
}

function noProviderSymptom(issuer: string): string {
  return `InvalidIdentityToken: No OpenIDConnect provider found in your account for ${issuer}`;
}

function providerMissing(facts: Facts, cluster: Cluster, issuer: string, key: string): ProvidersFinding {
  const trusting = facts.lookup.rolesTrusting(cluster.accountId, key).map((role) => role.arn);
  const rolesKnown = rolesAudited(facts, cluster.accountId);
  // A cluster without a provider is only broken when something relies on IRSA: EKS Pod Identity needs none.
  const inUse = trusting.length > 0;
  const podIdentity = cluster.podIdentity?.associations.length ?? 0;
  const usesPodIdentity = !inUse && rolesKnown && podIdentity > 0;
  const why = inUse
    ? `${trusting.length} role(s) trust this issuer, so their pods cannot assume them`
    : usesPodIdentity
      ? `no role trusts this issuer and the cluster has ${podIdentity} EKS Pod Identity association(s): it uses Pod Identity, which needs no provider; create one only before moving a workload to IRSA`
      : rolesKnown
        ? 'no role trusts this issuer: fine if the cluster uses EKS Pod Identity rather than IRSA'
        : 'roles were not audited, so whether IRSA is in use is unknown';
  return makeFinding({
    check: 'provider-missing',
    severity: inUse ? 'high' : usesPodIdentity ? 'info' : 'medium',
    ...clusterPlace(cluster),
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
): ProvidersFinding {
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
    ...clusterPlace(cluster),
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

/**
 * An EKS provider no audited cluster serves, in a region whose clusters were all read. Only the issuer can prove
 * the cluster gone: a 404 or 403 on its discovery document (docs/providers.md). An issuer that still answers
 * belongs to a cluster outside the audit; one that cannot be read proves nothing, and the audit says so.
 */
function orphanFindings(facts: Facts, provider: OidcProvider): ProvidersFinding[] {
  const parsed = facts.lookup.issuerUrl(provider.url);
  if (!parsed || (parsed.kind !== 'eks' && parsed.kind !== 'eks-alias') || parsed.region === undefined)
    return [];
  const region = parsed.region;
  const account = facts.lookup.account(provider.accountId);
  // Only a region whose clusters were all read can prove the cluster is not in the provider's own account.
  if (!account?.providersAudited || !account.regionsAudited.includes(region)) return [];
  if (clusterOfProvider(facts, provider)) return [];
  const probe = facts.lookup.issuer(parsed.key);
  const answer = probe?.discovery ? 'discovery' : (probe?.error?.code ?? 'NOT_PROBED');
  const audited = facts.inventory.accounts.map((a) => a.accountId);
  const base = { accountId: provider.accountId, region, resource: provider.arn, cluster: null };
  if (answer === 'discovery') return [externalProvider(provider, base, audited)];
  if (answer !== 'HTTP_404' && answer !== 'HTTP_403')
    return [unprovenOrphan(provider, base, answer, audited)];

  const clustersInRegion = facts.lookup.clustersIn(provider.accountId, region).length;
  const trusting = facts.lookup.rolesTrusting(provider.accountId, parsed.canonical).map((role) => role.arn);
  const rolesKnown = rolesAudited(facts, provider.accountId);
  const warning =
    trusting.length > 0
      ? [`# roles still trust this provider; remove those statements first: ${trusting.join(', ')}`]
      : [];
  return [
    makeFinding({
      ...base,
      check: 'provider-orphaned',
      severity: 'low',
      message:
        `OIDC provider ${provider.url} has no cluster in ${provider.accountId}/${region} or any other audited account, ` +
        `and its issuer answers ${answer.slice('HTTP_'.length)}: the cluster is gone. Leftover providers are how ` +
        'accounts hit "LimitExceeded ... OpenIdConnectProvidersPerAccount" (100 by default)',
      remediation: steps(...warning, deleteProviderCommand(provider.arn)),
      evidence: {
        expected: `a cluster in ${provider.accountId}/${region} with issuer https://${parsed.canonical}`,
        found: `no such cluster among the ${clustersInRegion} cluster(s) audited there, nor in another audited account`,
        regionAudited: true,
        issuerAnswered: answer,
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

type Place = Pick<Finding, 'accountId' | 'region' | 'resource' | 'cluster'>;

function externalProvider(provider: OidcProvider, place: Place, audited: string[]): ProvidersFinding {
  return makeFinding({
    ...place,
    check: 'provider-external',
    severity: 'info',
    message:
      `OIDC provider ${provider.url} serves no cluster of the ${audited.length} audited account(s), yet its issuer ` +
      'answers: its cluster lives in an account this audit did not read (cross-account IRSA). Not a leftover: ' +
      'deleting it breaks the roles that rely on it',
    remediation: `Audit the account that owns the cluster too (--accounts), or confirm with its owner that issuer ${shellQuote(`https://${provider.url}`)} is theirs`,
    evidence: {
      expected: `a cluster with issuer https://${provider.url} in an audited account`,
      found: 'none, and the issuer answered its discovery document',
      issuerAnswered: true,
      accountsAudited: audited,
    },
  });
}

function unprovenOrphan(
  provider: OidcProvider,
  place: Place,
  code: string,
  audited: string[],
): ProvidersFinding {
  const discovery = `https://${provider.url}/.well-known/openid-configuration`;
  return makeFinding({
    ...place,
    check: 'audit-error',
    severity: 'medium',
    discriminator: 'orphan proof',
    message:
      `Could not audit OIDC provider ${provider.url} (orphan proof): no audited cluster serves it and its issuer ` +
      `could not be read (${code}), so whether its cluster is gone is unknown`,
    remediation: steps(
      `curl -sS -o /dev/null -w '%{http_code}\\n' ${shellQuote(discovery)}`,
      '# 404 or 403: the cluster is gone and the provider is a leftover; 200: the cluster lives in another account',
    ),
    evidence: {
      expected: 'the issuer to answer its discovery document, or to say the cluster is gone (404/403)',
      found: { stage: 'orphan proof', code },
      issuerAnswered: false,
      accountsAudited: audited,
    },
  });
}

function partitionOf(cluster: Cluster) {
  const partition = parseArn(cluster.arn)?.partition ?? '';
  return isPartition(partition) ? partition : partitionOfRegion(cluster.region);
}
