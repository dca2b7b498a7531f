import type { Cluster as DescribedCluster, EKSClient } from '@aws-sdk/client-eks';
import pLimit from 'p-limit';
import type { AwsClients } from '../clients/aws.ts';
import type { CallLanes, CallLimiter } from '../clients/limit.ts';
import { budgetError, failureAt } from '../model/audit-error.ts';
import {
  type AuditError,
  type AuditedAccount,
  type Cluster,
  type Inventory,
  type IssuerProbe,
  namespaceAccountsKey,
  type OidcProvider,
  type Role,
} from '../model/inventory.ts';
import { parseIssuerUrl } from '../naming/issuer-url.ts';
import { stringPool, valuePool } from '../runtime/compact.ts';
import type { AccountTarget, Scope } from '../scope/types.ts';
import { readClusters } from './eks.ts';
import { readProviders, readRoles } from './iam.ts';
import type { IssuerProber, ProbeResult } from './issuer-probe.ts';
// Types only: the Kubernetes reads themselves are imported when the option is on.
import type { KubernetesSettings } from './kubernetes/index.ts';
import { readPodIdentity } from './pod-identity.ts';
import { scheduleProviderProbes } from './provider-probes.ts';

export interface CollectOptions {
  clients: AwsClients;
  prober: IssuerProber;
  /** Runs each AWS call within its account's lane and the run's overall limit. */
  calls: CallLanes;
  signal?: AbortSignal;
  /**
   * Units of work (an account's providers, its roles, one region's clusters) done so far, and the total as far
   * as it is known: accounts still being resolved count as many units as the average resolved account.
   */
  onProgress?: (stage: 'inventory' | 'probe', done: number, total: number) => void;
  /** `--kubernetes`: also read each cluster's Kubernetes API (src/inventory/kubernetes, loaded only then). */
  kubernetes?: KubernetesOption;
}

export interface KubernetesOption {
  connectTo: KubernetesSettings['connectTo'];
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** Clusters whose Kubernetes side is read at once, across the run (one kept-alive connection each). */
  clustersAtOnce: number;
  /** The IAM principal the auditor reads an account as: whom a cluster's access entry must name. */
  principal(target: AccountTarget): string;
}

export interface InventoryCollector {
  /** Reads one account; never rejects: each unit's failure is recorded and the rest goes on. */
  collectAccount(target: AccountTarget): Promise<void>;
  /** After the last account: waits for the issuer probes and returns the inventory, scope errors first. */
  finish(scope: Scope): Promise<Inventory>;
  /** When the audit fails before finish: starts no more probes and closes their connections. */
  abandon(): Promise<void>;
}

/**
 * Reads everything the checks need, account by account as the scope hands them over. Each unit of work fails
 * on its own: its error is recorded and the rest of the audit goes on.
 */
export function createInventoryCollector(
  options: CollectOptions,
  expectedAccounts: () => number,
): InventoryCollector {
  const clusters: Cluster[] = [];
  const providers: OidcProvider[] = [];
  const roles: Role[] = [];
  const errors: AuditError[] = [];
  const accounts: AuditedAccount[] = [];
  // Issuers are probed as their clusters are found, over connections of their own, while the AWS reads go on.
  const probing = options.prober.start();
  // Out of time: no new issuer read starts, while the inventory's calls in flight finish.
  if (options.signal?.aborted) probing.stop();
  else options.signal?.addEventListener('abort', () => probing.stop(), { once: true });
  // One copy of each text that repeats across the organization's resources (src/runtime/compact.ts).
  const texts = stringPool();
  // With --kubernetes, what every cluster's read shares: the option, the bound on clusters read at once across
  // the run, and the pools for their names and namespaces' lists.
  const kubernetes = options.kubernetes && {
    ...options.kubernetes,
    clusterSlots: pLimit(options.kubernetes.clustersAtOnce),
    pools: { names: texts, namespaces: valuePool(namespaceAccountsKey) },
  };
  const providerProbes = scheduleProviderProbes((issuer) => probing.add(issuer));
  let done = 0;
  let known = 0;

  const progress = () => {
    const pending = Math.max(0, expectedAccounts() - accounts.length);
    const perAccount = accounts.length > 0 ? known / accounts.length : 2;
    options.onProgress?.('inventory', done, known + Math.round(pending * perAccount));
  };
  const unit = async (accountId: string, region: string | null, stage: string, work: () => Promise<void>) => {
    try {
      if (options.signal?.aborted) {
        errors.push(budgetError(accountId, region, stage));
        return;
      }
      await work();
    } catch (error) {
      errors.push(failureAt(accountId, region, stage, error));
    } finally {
      done++;
      progress();
    }
  };

  return {
    async collectAccount(target) {
      const { accountId, partition, credentials } = target;
      const audited: AuditedAccount = {
        accountId,
        partition,
        regionsAudited: [],
        providersAudited: false,
        rolesAudited: false,
      };
      accounts.push(audited);
      // Per region, its clusters and then their Pod Identity; per account, its providers and its roles.
      known += 2 + (kubernetes ? 3 : 2) * target.regions.length;
      const iam = options.calls.lane(accountId, 'iam');
      await Promise.all([
        unit(accountId, null, 'iam-providers', async () => {
          const listed = await readProviders(options.clients, partition, accountId, credentials, iam, texts);
          providers.push(...listed);
          audited.providersAudited = true;
          providerProbes.providersListed(accountId, listed);
        }),
        unit(accountId, null, 'iam-roles', async () => {
          roles.push(...(await readRoles(options.clients, partition, accountId, credentials, iam, texts)));
          audited.rolesAudited = true;
        }),
        ...target.regions.map(async (region) => {
          const eks = options.calls.lane(accountId, 'eks', region);
          let found: Cluster[] = [];
          const described = kubernetes ? new Map<string, DescribedCluster>() : undefined;
          await unit(accountId, region, 'eks', async () => {
            found = await readClusters(options.clients, accountId, region, credentials, eks, described);
            clusters.push(...found);
            for (const cluster of found) if (cluster.issuer) probing.add(cluster.issuer);
            audited.regionsAudited.push(region);
            providerProbes.clustersRead(accountId, region, found);
          });
          if (found.length === 0) {
            done += kubernetes ? 2 : 1;
            progress();
            return;
          }
          // Apart from the clusters: a member role without the Pod Identity reads still gets its IRSA audited.
          await unit(accountId, region, 'eks-pod-identity', () =>
            readPodIdentityOf(found, options.clients.eks(region, credentials), eks),
          );
          if (kubernetes && described)
            await unit(accountId, region, 'kubernetes', async () => {
              const { readRegionKubernetes } = await import('./kubernetes/index.ts');
              const client = options.clients.eks(region, credentials);
              errors.push(
                ...(await readRegionKubernetes(
                  {
                    accountId,
                    partition,
                    region,
                    clusters: found,
                    described,
                    credentials: () => client.config.credentials(),
                    principal: kubernetes.principal(target),
                    call: options.calls.lane(accountId, 'kubernetes', region),
                  },
                  { ...kubernetes, signal: options.signal },
                )),
              );
            });
        }),
      ]);
      audited.regionsAudited.sort();
    },

    async abandon() {
      probing.stop();
      await probing.finish();
    },

    async finish(scope) {
      // A provider of the EKS form that no cluster of the organization serves is orphaned only if its issuer says
      // so (404/403 on discovery), and external if it still answers: its discovery is read too (docs/providers.md).
      // Most were queued as soon as their own account and region were read; what is left is queued now.
      const unserved = providerProbes.unserved();
      for (const issuer of unserved) probing.add(issuer);
      const clusterIssuers = clusters.flatMap((c) => (c.issuer ? [c.issuer] : []));
      const issuers = [...new Set([...clusterIssuers, ...unserved])].sort();
      const allErrors = [...scope.errors, ...errors];
      if (!options.signal?.aborted) options.onProgress?.('probe', 0, issuers.length);
      const probed = withoutUnneeded(await probing.finish(), issuers);
      // Unprobed issuers carry no result, so no check judges them; the errors say what was not reached.
      const read = new Set(probed.issuers.map((probe) => probe.issuer));
      allErrors.push(...unprobedHosts(issuers.filter((issuer) => !read.has(issuer))));
      if (!options.signal?.aborted) options.onProgress?.('probe', issuers.length, issuers.length);
      accounts.sort((a, b) => a.accountId.localeCompare(b.accountId));
      clusters.sort((a, b) => a.arn.localeCompare(b.arn));
      providers.sort((a, b) => a.arn.localeCompare(b.arn));
      roles.sort((a, b) => a.arn.localeCompare(b.arn));
      return {
        accounts,
        clusters,
        providers,
        roles,
        hosts: probed.hosts,
        issuers: probed.issuers,
        errors: allErrors,
      };
    },
  };
}

/**
 * Each cluster's Pod Identity, set on the cluster as it is read. A cluster whose reads fail keeps none (its checks
 * do not judge it) and the failure names it; the other clusters of the region keep theirs.
 */
async function readPodIdentityOf(found: Cluster[], client: EKSClient, call: CallLimiter): Promise<void> {
  const results = await Promise.allSettled(
    found.map(async (cluster) => {
      cluster.podIdentity = await readPodIdentity(client, cluster.name, call);
    }),
  );
  const failed = results.flatMap((result, index) =>
    result.status === 'rejected' ? [{ cluster: found[index]?.name, reason: result.reason as unknown }] : [],
  );
  const first = failed[0];
  if (!first) return;
  const error = first.reason instanceof Error ? first.reason : new Error(String(first.reason));
  error.message = `cluster${failed.length === 1 ? '' : 's'} ${failed.map((f) => f.cluster).join(', ')}: ${error.message}`;
  throw error;
}

/**
 * The probes the checks need: every issuer probed is a cluster's or an unserved provider's, but for those started
 * early for a provider that a cluster read later turned out to serve; those are left out (with the hosts only they
 * opened), so that the report is what it would be without them.
 */
function withoutUnneeded(probed: ProbeResult, needed: readonly string[]): ProbeResult {
  const keep = new Set(needed);
  const unneeded = (probe: IssuerProbe) => !keep.has(probe.issuer);
  if (!probed.issuers.some(unneeded)) return probed;
  const hostsOf = (probes: IssuerProbe[]) =>
    new Set(probes.flatMap((probe) => (probe.jwksHost ? [probe.host, probe.jwksHost] : [probe.host])));
  const issuers = probed.issuers.filter((probe) => !unneeded(probe));
  const kept = hostsOf(issuers);
  const dropped = hostsOf(probed.issuers.filter(unneeded));
  return { issuers, hosts: probed.hosts.filter(({ host }) => kept.has(host) || !dropped.has(host)) };
}

/** One audit-error per issuer host with issuers left unread, saying how many. */
function unprobedHosts(issuers: string[]): AuditError[] {
  const hosts = new Map<string, { region: string | null; count: number }>();
  for (const issuer of issuers) {
    const parsed = parseIssuerUrl(issuer);
    if (!parsed) continue;
    const entry = hosts.get(parsed.host) ?? { region: parsed.region ?? null, count: 0 };
    entry.count++;
    hosts.set(parsed.host, entry);
  }
  return [...hosts].map(([host, { region, count }]) =>
    budgetError(
      null,
      region,
      'issuer probe',
      `${count} issuer${count === 1 ? '' : 's'} on host ${host} not probed: ` +
        'the audit stopped starting new work before its deadline',
    ),
  );
}
