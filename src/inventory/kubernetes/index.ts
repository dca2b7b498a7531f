// The Kubernetes side of one region's clusters (`--kubernetes`), loaded by the collector only when the option is
// on. Each cluster is decided from DescribeCluster first (status, endpoint, private-only access), then read with a
// token of the account's credentials; a cluster that cannot be read is an audit error of its own, naming the
// cluster and the principal its access must be granted to, and the other clusters go on.

import type { Cluster as DescribedCluster } from '@aws-sdk/client-eks';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { CallLimiter } from '../../clients/limit.ts';
import { errorCode, errorMessage, stoppedByBudget } from '../../model/audit-error.ts';
import type { ConnectTo } from '../../model/connect-to.ts';
import type { AuditError, Cluster, Partition } from '../../model/inventory.ts';
import { resolveConnectTarget } from '../connect-to.ts';
import { KubernetesFailure, UNREACHABLE_CODES } from './failure.ts';
import { podsThatMatter, readKubernetesSide, type SidePools } from './read.ts';
import { type ClusterTarget, openSession } from './session.ts';

export interface KubernetesSettings {
  connectTo: readonly ConnectTo[];
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  pageSize?: number;
  maxPages?: number;
  /**
   * Bounds the clusters read at once across the run. Each keeps a connection open between its requests, and
   * those requests wait behind the whole run's in its lanes: unbounded, every cluster of the accounts in flight
   * would hold one.
   */
  clusterSlots?: CallLimiter;
  /** The run's pools of names and of namespaces' lists of service accounts (readKubernetesSide). */
  pools?: SidePools;
  signal?: AbortSignal;
}

export interface RegionClusters {
  accountId: string;
  partition: Partition;
  region: string;
  clusters: readonly Cluster[];
  /** DescribeCluster's answer per cluster name. */
  described: ReadonlyMap<string, DescribedCluster>;
  credentials: () => Promise<AwsCredentialIdentity>;
  /** The IAM principal the auditor reads the account as. */
  principal: string;
  call: CallLimiter;
}

const READABLE_STATUSES = new Set(['ACTIVE', 'UPDATING']);

/** Reads each cluster's side into `cluster.kubernetes`; returns the audit errors of those it could not read. */
export async function readRegionKubernetes(
  region: RegionClusters,
  settings: KubernetesSettings,
): Promise<AuditError[]> {
  const inSlot = settings.clusterSlots ?? ((read) => read());
  const results = await Promise.all(
    region.clusters.map(async (cluster): Promise<AuditError[]> => {
      try {
        const target = targetOf(cluster, region.described.get(cluster.name), region.partition, settings);
        await inSlot(async () => {
          const session = openSession(target, {
            connectTo: settings.connectTo,
            connectTimeoutMs: settings.connectTimeoutMs,
            requestTimeoutMs: settings.requestTimeoutMs,
            signal: settings.signal,
            call: region.call,
            credentials: region.credentials,
            pageSize: settings.pageSize ?? 500,
            maxPages: settings.maxPages ?? 100,
          });
          try {
            cluster.kubernetes = await readKubernetesSide(
              session,
              podsThatMatter(cluster.podIdentity?.associations ?? []),
              settings.pools,
            );
          } finally {
            session.close();
          }
        });
        return [];
      } catch (error) {
        return [failureOf(error, cluster, region, publicCidrsOf(region.described.get(cluster.name)))];
      }
    }),
  );
  return results.flat();
}

/** What DescribeCluster says of reaching the cluster; throws when it already says the auditor cannot. */
function targetOf(
  cluster: Cluster,
  described: DescribedCluster | undefined,
  partition: Partition,
  settings: KubernetesSettings,
): ClusterTarget {
  const unreachable = (code: string, message: string) =>
    new KubernetesFailure('kubernetes-unreachable', code, `cluster ${cluster.name}: ${message}`);
  const status = described?.status ?? cluster.status;
  if (status !== undefined && !READABLE_STATUSES.has(status))
    throw unreachable(UNREACHABLE_CODES.notActive, `its status is ${status}, so its API is not served`);
  const endpoint = described?.endpoint;
  const ca = described?.certificateAuthority?.data;
  if (!endpoint || !ca)
    throw unreachable(UNREACHABLE_CODES.noEndpoint, 'DescribeCluster gives no API endpoint or CA');
  const url = new URL(endpoint);
  const vpc = described?.resourcesVpcConfig;
  const mapped =
    resolveConnectTarget(settings.connectTo, url.hostname, Number(url.port || 443)).host !== url.hostname;
  if (vpc?.endpointPublicAccess === false && !mapped)
    throw unreachable(
      UNREACHABLE_CODES.privateEndpoint,
      'its API endpoint is private only (endpointPublicAccess false), and no --connect-to mapping reaches it',
    );
  return {
    name: cluster.name,
    region: cluster.region,
    partition,
    endpoint,
    ca: Buffer.from(ca, 'base64').toString('utf8'),
    ...(described?.accessConfig?.authenticationMode
      ? { authenticationMode: described.accessConfig.authenticationMode }
      : {}),
  };
}

function publicCidrsOf(described: DescribedCluster | undefined): string[] {
  return described?.resourcesVpcConfig?.publicAccessCidrs ?? [];
}

function failureOf(
  error: unknown,
  cluster: Cluster,
  region: RegionClusters,
  cidrs: readonly string[],
): AuditError {
  const where = {
    accountId: region.accountId,
    region: region.region,
    cluster: cluster.arn,
    principal: region.principal,
  };
  if (error instanceof KubernetesFailure)
    return { ...where, stage: error.stage, code: error.code, message: error.message };
  if (stoppedByBudget(error))
    return {
      ...where,
      stage: 'kubernetes-unreachable',
      code: 'TimeBudgetExceeded',
      message: `cluster ${cluster.name}: not read, the audit stopped starting new work before its deadline`,
    };
  // Dropped SYNs from outside the allowed CIDRs look like any time-out: say which list may be the cause.
  const restricted = cidrs.length > 0 && !cidrs.includes('0.0.0.0/0');
  return {
    ...where,
    stage: 'kubernetes-unreachable',
    code: errorCode(error),
    message:
      `cluster ${cluster.name}: ${errorMessage(error)}` +
      (restricted ? `; its public endpoint admits only ${cidrs.join(', ')}` : ''),
  };
}
