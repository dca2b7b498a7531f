// EKS (restJson1): the clusters of the calling account in the signed region, their Pod Identity associations
// and add-ons.

import { ApiError } from '../errors.ts';
import { hashHex } from '../ids.ts';
import { clusterEndpointHost } from '../kubernetes/endpoint.ts';
import { pageOffset, paginate } from '../paging.ts';
import { type ClusterState, clusterArn, clusterIssuerUrl } from '../state.ts';
import type { CallContext, RestJsonService, RestRequest } from './types.ts';

const NO_CLUSTERS: ClusterState[] = [];

function invalid(message: string): ApiError {
  return new ApiError('InvalidParameterException', message, 400);
}

function listClusters(ctx: CallContext, request: RestRequest): unknown {
  const clusters = ctx.account.clustersByRegion.get(ctx.region) ?? NO_CLUSTERS;
  const page = pageOf(ctx, request, clusters, 'eks:ListClusters', 100);
  return { clusters: page.items.map((c) => c.world.name), nextToken: page.next };
}

function describeCluster(ctx: CallContext, request: RestRequest): unknown {
  const name = request.params.name ?? '';
  const cluster = ctx.account.clusterByKey.get(`${ctx.region}/${name}`);
  if (!cluster) throw new ApiError('ResourceNotFoundException', `No cluster found for name: ${name}.`, 404);
  const { partition } = ctx.state;
  const w = cluster.world;
  const reach = w.kubernetes;
  return {
    cluster: {
      name: w.name,
      arn: clusterArn(partition, ctx.account.id, ctx.region, w.name),
      createdAt: Date.parse(w.createdAt ?? '2024-01-15T10:00:00Z') / 1000,
      version: w.version,
      endpoint: `https://${clusterEndpointHost(partition, ctx.account.id, ctx.region, cluster)}`,
      roleArn: `arn:${partition}:iam::${ctx.account.id}:role/eks-cluster-role`,
      resourcesVpcConfig: {
        subnetIds: [],
        securityGroupIds: [],
        vpcId: `vpc-0${ctx.account.id}0abc`,
        endpointPublicAccess: reach?.endpointPublicAccess ?? true,
        endpointPrivateAccess: true,
        publicAccessCidrs: reach?.publicAccessCidrs ?? ['0.0.0.0/0'],
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: '10.100.0.0/16', ipFamily: 'ipv4' },
      logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: false }] },
      ...(cluster.issuerId === null
        ? {}
        : { identity: { oidc: { issuer: clusterIssuerUrl(partition, ctx.region, cluster.issuerId) } } }),
      status: w.status,
      // The CA of the sandbox's Kubernetes API when it serves one (test/sandbox/kubernetes), else a stub.
      certificateAuthority: {
        data: ctx.state.kubernetesCaPem
          ? Buffer.from(ctx.state.kubernetesCaPem).toString('base64')
          : 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==',
      },
      platformVersion: 'eks.1',
      tags: w.tags ?? {},
      accessConfig: { authenticationMode: reach?.authenticationMode ?? 'API_AND_CONFIG_MAP' },
      ...(w.autoMode ? { computeConfig: { enabled: true, nodePools: ['general-purpose', 'system'] } } : {}),
    },
  };
}

function clusterOf(ctx: CallContext, request: RestRequest): ClusterState {
  const name = request.params.name ?? '';
  const cluster = ctx.account.clusterByKey.get(`${ctx.region}/${name}`);
  if (!cluster) throw new ApiError('ResourceNotFoundException', `No cluster found for name: ${name}.`, 404);
  return cluster;
}

/** One page of a list operation, as EKS pages them: maxResults up to `limit`, tokens bound to account and region. */
function pageOf<T>(
  ctx: CallContext,
  request: RestRequest,
  items: readonly T[],
  operation: string,
  limit: number,
) {
  const rawMax = request.query.get('maxResults');
  const maxResults = rawMax === null ? limit : Number(rawMax);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > limit) {
    throw invalid(
      `1 validation error detected: Value '${rawMax}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${limit}`,
    );
  }
  const scope = `${operation}:${ctx.account.id}:${ctx.region}`;
  const token = request.query.get('nextToken');
  const offset = token === null ? 0 : pageOffset(scope, token);
  if (offset === undefined) throw invalid('The nextToken provided is invalid.');
  return paginate(items, scope, offset, maxResults);
}

/** The associations of a cluster as EKS keeps them: ids and ARNs derived from the world, roles as full ARNs. */
function associationsOf(ctx: CallContext, cluster: ClusterState) {
  const { partition } = ctx.state;
  // A role named by its name is the account's role of that name, path included, as EKS stores the ARN given.
  const roleArn = (role: string) =>
    role.startsWith('arn:')
      ? role
      : (ctx.account.roles.find((r) => r.name === role)?.arn ??
        `arn:${partition}:iam::${ctx.account.id}:role/${role}`);
  return cluster.world.podIdentityAssociations.map((a, index) => {
    const associationId = `a-${hashHex(`${ctx.account.id}/${ctx.region}/${cluster.world.name}/${index}`, 17)}`;
    return {
      clusterName: cluster.world.name,
      namespace: a.namespace,
      serviceAccount: a.serviceAccount,
      roleArn: roleArn(a.role),
      associationArn: `arn:${partition}:eks:${ctx.region}:${ctx.account.id}:podidentityassociation/${cluster.world.name}/${associationId}`,
      associationId,
      disableSessionTags: a.disableSessionTags,
      ...(a.policy ? { policy: a.policy } : {}),
      ...(a.targetRole
        ? {
            targetRoleArn: roleArn(a.targetRole),
            externalId: a.externalId ?? hashHex(`external/${associationId}`, 32),
          }
        : {}),
      createdAt: 1_700_000_000,
      modifiedAt: 1_700_000_000,
      tags: {},
    };
  });
}

function listPodIdentityAssociations(ctx: CallContext, request: RestRequest): unknown {
  const cluster = clusterOf(ctx, request);
  const all = associationsOf(ctx, cluster);
  const page = pageOf(ctx, request, all, `eks:ListPodIdentityAssociations:${cluster.world.name}`, 100);
  return {
    associations: page.items.map(
      ({ clusterName, namespace, serviceAccount, associationArn, associationId }) => ({
        clusterName,
        namespace,
        serviceAccount,
        associationArn,
        associationId,
      }),
    ),
    nextToken: page.next,
  };
}

function describePodIdentityAssociation(ctx: CallContext, request: RestRequest): unknown {
  const cluster = clusterOf(ctx, request);
  const id = request.params.associationId ?? '';
  const association = associationsOf(ctx, cluster).find((a) => a.associationId === id);
  if (!association)
    throw new ApiError('ResourceNotFoundException', `No Pod Identity Association found for id: ${id}.`, 404);
  return { association };
}

function listAddons(ctx: CallContext, request: RestRequest): unknown {
  const cluster = clusterOf(ctx, request);
  const names = cluster.world.addons.map((addon) => addon.name);
  const page = pageOf(ctx, request, names, `eks:ListAddons:${cluster.world.name}`, 100);
  return { addons: page.items, nextToken: page.next };
}

function describeAddon(ctx: CallContext, request: RestRequest): unknown {
  const cluster = clusterOf(ctx, request);
  const name = request.params.addonName ?? '';
  const addon = cluster.world.addons.find((a) => a.name === name);
  if (!addon)
    throw new ApiError(
      'ResourceNotFoundException',
      `No addon: ${name} found in cluster: ${cluster.world.name}`,
      404,
    );
  return {
    addon: {
      addonName: addon.name,
      clusterName: cluster.world.name,
      status: addon.status,
      addonVersion: addon.version,
      health: { issues: [] },
      addonArn: `arn:${ctx.state.partition}:eks:${ctx.region}:${ctx.account.id}:addon/${cluster.world.name}/${addon.name}/0`,
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
    {
      method: 'GET',
      pattern: '/clusters/{name}/pod-identity-associations',
      operation: 'ListPodIdentityAssociations',
    },
    {
      method: 'GET',
      pattern: '/clusters/{name}/pod-identity-associations/{associationId}',
      operation: 'DescribePodIdentityAssociation',
    },
    { method: 'GET', pattern: '/clusters/{name}/addons', operation: 'ListAddons' },
    { method: 'GET', pattern: '/clusters/{name}/addons/{addonName}', operation: 'DescribeAddon' },
  ],
  operations: {
    ListClusters: listClusters,
    DescribeCluster: describeCluster,
    ListPodIdentityAssociations: listPodIdentityAssociations,
    DescribePodIdentityAssociation: describePodIdentityAssociation,
    ListAddons: listAddons,
    DescribeAddon: describeAddon,
  },
};
