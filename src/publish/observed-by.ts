// Whether this run read everything a finding depends on (its catalog entry, src/model/catalog.ts), well enough to
// say the finding is gone. Every account and region in scope ends up audited or named by an audit error, so: the
// account must be in scope and entered; each read the check depends on must have succeeded, with no audit error
// for it; a run-wide error of the scope (no account, no region: the organization could not be listed) leaves
// everything as it was. Anything else stays as it was: a resolution is late rather than false.

import { CATALOG, type Read } from '../model/catalog.ts';
import type { Report } from '../report/types.ts';
import type { AlertedFinding } from './alerted-finding.ts';

/** What the questions below read of a finding: a Security Hub finding we imported has no more. */
export type ObservedFinding = Pick<AlertedFinding, 'check' | 'accountId' | 'region' | 'resource' | 'cluster'>;

/** What one report read, indexed for the questions the reads below ask. */
interface ReadIndex {
  entries: Map<string, Report['accounts'][number]>;
  runWideRegions: Set<string | null>;
  /** Every account in scope was entered. */
  allAccountsEntered: boolean;
  /** The regions of audit errors; and whether any audit error has no region. */
  errorRegions: Set<string>;
  regionlessError: boolean;
  accountErrors: Set<string | null>;
  regionErrors: Set<string>;
  accountsWithRegionErrors: Set<string | null>;
  kubernetesRead: Set<string>;
  kubernetesReadByName: Set<string>;
  providers: Set<string>;
  chainsRead: Set<string>;
  clusterIssuers: Map<string, string | null>;
  probedIssuers: Set<string>;
  answeredIssuers: Set<string>;
}

const byName = (c: { region: string; name: string }) => `${c.region}|${c.name}`;

function indexReads(report: Report): ReadIndex {
  const { errors, clusters, issuers } = report;
  // A cluster's Kubernetes side unread (--kubernetes) hides that cluster's Kubernetes findings, not its region.
  const regionScoped = errors.filter((e) => e.region !== null && e.cluster === undefined);
  // By region and name only where every cluster so named was read: one account's `prod` read says nothing of
  // another account's `prod` in the same region.
  const kubernetesUnreadByName = new Set(clusters.filter((c) => !c.kubernetes).map(byName));
  const answered = issuers.filter(
    (i) => i.discovery || i.error?.code === 'HTTP_404' || i.error?.code === 'HTTP_403',
  );
  const entries = new Map(report.accounts.map((account) => [account.accountId, account]));
  return {
    entries,
    runWideRegions: new Set(errors.filter((e) => e.accountId === null).map((e) => e.region)),
    allAccountsEntered: report.scope.accounts.every((accountId) => entries.has(accountId)),
    errorRegions: new Set(errors.flatMap((e) => (e.region === null ? [] : [e.region]))),
    regionlessError: errors.some((e) => e.region === null),
    accountErrors: new Set(errors.filter((e) => e.region === null).map((e) => e.accountId)),
    regionErrors: new Set(regionScoped.map((e) => `${e.accountId}|${e.region}`)),
    accountsWithRegionErrors: new Set(regionScoped.map((e) => e.accountId)),
    kubernetesRead: new Set(clusters.filter((c) => c.kubernetes).map((c) => c.arn)),
    kubernetesReadByName: new Set(
      clusters
        .filter((c) => c.kubernetes)
        .map(byName)
        .filter((name) => !kubernetesUnreadByName.has(name)),
    ),
    providers: new Set(report.providers.map((p) => p.arn)),
    chainsRead: new Set(issuers.filter((i) => i.tls?.chain).map((i) => i.host.toLowerCase())),
    clusterIssuers: new Map(clusters.map((c) => [c.arn, c.issuer])),
    probedIssuers: new Set(issuers.map((i) => i.issuer)),
    answeredIssuers: new Set(answered.map((i) => i.issuer)),
  };
}

const PROVIDER_PATH = ':oidc-provider/';

function regionRead(seen: ReadIndex, accountId: string, region: string): boolean {
  return (
    (seen.entries.get(accountId)?.regionsAudited.includes(region) ?? false) &&
    !seen.regionErrors.has(`${accountId}|${region}`)
  );
}

/** One question per kind of read (src/model/catalog.ts, Read): did this run read it for this finding? */
const READS: Record<Read, (seen: ReadIndex, finding: ObservedFinding) => boolean> = {
  'account-roles': (seen, f) =>
    !!seen.entries.get(f.accountId)?.rolesAudited && !seen.accountErrors.has(f.accountId),
  'account-providers': (seen, f) =>
    !!seen.entries.get(f.accountId)?.providersAudited && !seen.accountErrors.has(f.accountId),
  'region-clusters': (seen, f) =>
    f.region === null ? READS['account-clusters'](seen, f) : regionRead(seen, f.accountId, f.region),
  'account-clusters': (seen, f) =>
    seen.entries.has(f.accountId) &&
    !seen.accountsWithRegionErrors.has(f.accountId) &&
    !seen.accountErrors.has(f.accountId),
  'issuer-chain': (seen, f) => {
    if (!seen.providers.has(f.resource)) return true;
    const host = /:oidc-provider\/([^/]+)/.exec(f.resource)?.[1]?.toLowerCase();
    return !!host && seen.chainsRead.has(host);
  },
  'every-account-region-clusters': (seen, f) =>
    seen.allAccountsEntered &&
    !seen.regionlessError &&
    (f.region === null || !seen.errorRegions.has(f.region)),
  'provider-issuer': (seen, f) => {
    if (!seen.providers.has(f.resource)) return true;
    const url = f.resource.slice(f.resource.indexOf(PROVIDER_PATH) + PROVIDER_PATH.length);
    return seen.answeredIssuers.has(`https://${url}`);
  },
  'issuer-probe': (seen, f) => {
    const issuer = seen.clusterIssuers.get(f.resource);
    if (issuer === undefined || issuer === null) return true;
    return seen.probedIssuers.has(issuer) && !seen.runWideRegions.has(f.region);
  },
  place: (seen, f) => {
    // A run-wide error (no account) is gone once a run gets through every run-wide stage.
    if (f.accountId === '') return seen.runWideRegions.size === 0;
    if (f.region === null) return READS['account-roles'](seen, f) && READS['account-providers'](seen, f);
    return regionRead(seen, f.accountId, f.region);
  },
  // By ARN when the finding is the cluster's; else (a role's trust) by the cluster it names.
  'cluster-kubernetes': (seen, f) =>
    seen.kubernetesRead.has(f.resource) || seen.kubernetesReadByName.has(`${f.region}|${f.cluster}`),
};

export function observedBy(report: Report): (finding: ObservedFinding) => boolean {
  const seen = indexReads(report);
  const scopeError = report.errors.some((e) => e.accountId === null && e.region === null);
  const accounts = new Set(report.scope.accounts);
  return (finding) => {
    if (scopeError) return false;
    if (
      finding.accountId !== '' &&
      (!accounts.has(finding.accountId) || !seen.entries.has(finding.accountId))
    )
      return false;
    return CATALOG[finding.check].dependsOn.every((what) => READS[what](seen, finding));
  };
}
