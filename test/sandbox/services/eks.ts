// EKS (restJson1): the clusters of the calling account in the signed region.

import { ApiError } from '../errors.ts';
import { hashHex } from '../ids.ts';
import { pageOffset, paginate } from '../paging.ts';
import { dnsSuffix } from '../regions.ts';
import { type ClusterState, clusterArn, clusterIssuerUrl } from '../state.ts';
import type { CallContext, RestJsonService, RestRequest } from './types.ts';

const NO_CLUSTERS: ClusterState[] = [];

function invalid(message: string): ApiError {
  return new ApiError('InvalidParameterException', message, 400);
}

function listClusters(ctx: CallContext, request: RestRequest): unknown {
  const rawMax = request.query.get('maxResults');
  const maxResults = rawMax === null ? 100 : Number(rawMax);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
    throw invalid(
      `1 validation error detected: Value '${rawMax}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100`,
    );
  }
  const clusters = ctx.account.clustersByRegion.get(ctx.region) ?? NO_CLUSTERS;
  const scope = `eks:ListClusters:${ctx.account.id}:${ctx.region}`;
  const token = request.query.get('nextToken');
  const offset = token === null ? 0 : pageOffset(scope, token);
  if (offset === undefined) throw invalid('The nextToken provided is invalid.');
  const page = paginate(clusters, scope, offset, maxResults);
  return { clusters: page.items.map((c) => c.world.name), nextToken: page.next };
}

function describeCluster(ctx: CallContext, request: RestRequest): unknown {
  const name = request.params.name ?? '';
  const cluster = ctx.account.clusterByKey.get(`${ctx.region}/${name}`);
  if (!cluster) throw new ApiError('ResourceNotFoundException', `No cluster found for name: ${name}.`, 404);
  const { partition } = ctx.state;
  const w = cluster.world;
  const endpointId =
    cluster.issuerId ?? hashHex(`endpoint/${ctx.account.id}/${ctx.region}/${name}`, 32).toUpperCase();
  return {
    cluster: {
      name: w.name,
      arn: clusterArn(partition, ctx.account.id, ctx.region, w.name),
      createdAt: Date.parse(w.createdAt ?? '2024-01-15T10:00:00Z') / 1000,
      version: w.version,
      endpoint: `https://${endpointId}.gr7.${ctx.region}.eks.${dnsSuffix(partition)}`,
      roleArn: `arn:${partition}:iam::${ctx.account.id}:role/eks-cluster-role`,
      resourcesVpcConfig: {
        subnetIds: [],
        securityGroupIds: [],
        vpcId: `vpc-0${ctx.account.id}0abc`,
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['0.0.0.0/0'],
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: '10.100.0.0/16', ipFamily: 'ipv4' },
      logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: false }] },
      ...(cluster.issuerId === null
        ? {}
        : { identity: { oidc: { issuer: clusterIssuerUrl(partition, ctx.region, cluster.issuerId) } } }),
      status: w.status,
      certificateAuthority: { data: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==' },
      platformVersion: 'eks.1',
      tags: w.tags ?? {},
      accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
    },
  };
}

export const eks: RestJsonService = {
  name: 'eks',
  signingName: 'eks',
  protocol: 'restJson',
  global: false,
  routes: [
    { method: 'GET', pattern: '/clusters', operation: 'ListClusters' },
    { method: 'GET', pattern: '/clusters/{name}', operation: 'DescribeCluster' },
  ],
  operations: { ListClusters: listClusters, DescribeCluster: describeCluster },
};
