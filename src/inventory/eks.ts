import {
  DescribeClusterCommand,
  type Cluster as DescribedCluster,
  paginateListClusters,
} from '@aws-sdk/client-eks';
import type { AwsClients, Credentials } from '../clients/aws.ts';
import type { CallLimiter } from '../clients/limit.ts';
import { withLimit } from '../clients/limit.ts';
import type { Cluster } from '../model/inventory.ts';

/**
 * Every cluster of one account in one region: ListClusters pages of 100, then one DescribeCluster each. `described`,
 * when given, keeps DescribeCluster's answer by cluster name (the Kubernetes reads need its endpoint and CA).
 */
export async function readClusters(
  clients: AwsClients,
  accountId: string,
  region: string,
  credentials: Credentials | undefined,
  call: CallLimiter,
  described?: Map<string, DescribedCluster>,
): Promise<Cluster[]> {
  const client = clients.eks(region, credentials);
  const names: string[] = [];
  for await (const page of withLimit(paginateListClusters({ client, pageSize: 100 }, {}), call)) {
    names.push(...(page.clusters ?? []));
  }
  return Promise.all(
    names.map(async (name): Promise<Cluster> => {
      const { cluster } = await call(() => client.send(new DescribeClusterCommand({ name })));
      if (!cluster?.arn) throw new Error(`eks:DescribeCluster ${name} in ${region} returned no cluster ARN`);
      described?.set(name, cluster);
      return {
        accountId,
        region,
        name,
        arn: cluster.arn,
        issuer: cluster.identity?.oidc?.issuer ?? null,
        status: cluster.status,
        version: cluster.version,
        ...(cluster.computeConfig?.enabled ? { autoMode: true } : {}),
      };
    }),
  );
}
