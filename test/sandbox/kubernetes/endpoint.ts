// Where a world cluster's Kubernetes API is, as DescribeCluster names it: `https://<ID>.gr7.<region>.eks.<suffix>`,
// the ID being the cluster's OIDC id (as on EKS, where both come from the cluster) or one derived from it.

import { hashHex } from '../ids.ts';
import { dnsSuffix, type Partition } from '../regions.ts';
import type { ClusterState } from '../state.ts';

export function clusterEndpointHost(
  partition: Partition,
  accountId: string,
  region: string,
  cluster: ClusterState,
): string {
  const id =
    cluster.issuerId ?? hashHex(`endpoint/${accountId}/${region}/${cluster.world.name}`, 32).toUpperCase();
  return `${id}.gr7.${region}.eks.${dnsSuffix(partition)}`;
}
