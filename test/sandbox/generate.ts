// Big worlds for benchmarks and load tests: N accounts × R regions × C clusters, each cluster with a
// correctly registered provider and an IRSA role. Shared sub-objects (audiences, thumbprint references)
// keep even the benchmark's largest worlds small in memory (docs/performance.md, "The benchmark's worlds").

import { issuerIdFor } from './ids.ts';
import { defaultRegions, issuerHost, type Partition } from './regions.ts';
import type { WorldInput } from './world.ts';

type AccountInput = WorldInput['accounts'][number];

export interface GenerateOptions {
  /** Accounts in all, the caller (organization management account) included. */
  accounts: number;
  /** A count takes the first regions of the partition's default ones; default all 17. */
  regions?: number | string[];
  clustersPerRegion?: number;
  /** IRSA roles per cluster, each trusting one service account of it. Default 1. */
  rolesPerCluster?: number;
  /** Register an IAM OIDC provider per cluster (default true). */
  providers?: boolean;
  /** Put the accounts in an organization the caller manages (default true). */
  organization?: boolean;
  /** Member accounts are spread round-robin over this many OUs under /Workloads (default 4). */
  ous?: number;
  partition?: Partition;
  faults?: WorldInput['faults'];
  /**
   * Give each cluster a Kubernetes side (test/sandbox/kubernetes): per IRSA role, service account
   * `app/sa-<r>` annotated with it and one running pod of it.
   */
  kubernetes?: boolean;
  /**
   * With `kubernetes`: unannotated service accounts in each cluster's `kube-system` besides, as a real cluster's
   * add-ons and controllers hold dozens (default 0).
   */
  systemServiceAccounts?: number;
}

/** Service accounts of EKS add-ons and common controllers, named first; `controller-<i>` after them. */
const SYSTEM_ACCOUNTS = [
  'coredns',
  'aws-node',
  'kube-proxy',
  'ebs-csi-controller-sa',
  'metrics-server',
  'cluster-autoscaler',
  'external-dns',
  'cert-manager',
  'karpenter',
  'aws-load-balancer-controller',
];

/** Account ids are 100000000000 + index; index 0 is the caller. */
export function generatedAccountId(index: number): string {
  return String(100000000000 + index);
}

type ClusterInput = NonNullable<AccountInput['clusters']>[number];

function kubernetesSide(
  partition: Partition,
  accountId: string,
  region: string,
  cluster: number,
  roles: number,
  system: number,
): ClusterInput['kubernetes'] {
  const annotated = Array.from({ length: roles }, (_, r) => ({
    namespace: 'app',
    name: `sa-${r}`,
    annotations: {
      'eks.amazonaws.com/role-arn': `arn:${partition}:iam::${accountId}:role/irsa-${region}-${cluster}-${r}`,
    },
  }));
  const others = Array.from({ length: system }, (_, i) => ({
    namespace: 'kube-system',
    name: SYSTEM_ACCOUNTS[i] ?? `controller-${i}`,
    annotations: {},
  }));
  return {
    serviceAccounts: [...annotated, ...others],
    pods: annotated.map((sa) => ({ namespace: 'app', name: `${sa.name}-0`, serviceAccount: sa.name })),
  } as ClusterInput['kubernetes'];
}

export function generateWorld(options: GenerateOptions): WorldInput {
  const partition = options.partition ?? 'aws';
  const regions =
    typeof options.regions === 'number'
      ? defaultRegions(partition).slice(0, options.regions)
      : (options.regions ?? [...defaultRegions(partition)]);
  const perRegion = options.clustersPerRegion ?? 2;
  const rolesPerCluster = options.rolesPerCluster ?? 1;
  const withProviders = options.providers ?? true;
  const ous = Math.max(1, options.ous ?? 4);
  const audiences = ['sts.amazonaws.com'];
  const thumbprintRefs = new Map(
    regions.map((r) => [r, [{ fromIssuerHost: issuerHost(partition, r), cert: 'last-presented' as const }]]),
  );

  const accounts: AccountInput[] = [];
  for (let a = 0; a < options.accounts; a++) {
    const id = generatedAccountId(a);
    const account: AccountInput = {
      id,
      name: a === 0 ? 'security' : `workload-${a}`,
      ou: a === 0 ? '/Security' : `/Workloads/OU-${a % ous}`,
      regions,
      caller: a === 0,
      clusters: [],
      oidcProviders: [],
      roles: [],
    };
    for (const region of regions) {
      for (let c = 0; c < perRegion; c++) {
        const name = `eks-${region}-${c}`;
        const issuer = issuerIdFor(id, region, name);
        const url = `${issuerHost(partition, region)}/id/${issuer}`;
        account.clusters?.push({
          name,
          region,
          issuer,
          ...(options.kubernetes
            ? {
                kubernetes: kubernetesSide(
                  partition,
                  id,
                  region,
                  c,
                  rolesPerCluster,
                  options.systemServiceAccounts ?? 0,
                ),
              }
            : {}),
        });
        if (withProviders) {
          account.oidcProviders?.push({
            url,
            clientIds: audiences,
            thumbprints: thumbprintRefs.get(region) ?? [],
          });
        }
        for (let r = 0; r < rolesPerCluster; r++) {
          // JSON text rather than an object graph: less memory, and ListRoles sends it as is.
          account.roles?.push({
            name: `irsa-${region}-${c}-${r}`,
            trust:
              `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":` +
              `"arn:${partition}:iam::${id}:oidc-provider/${url}"},"Action":"sts:AssumeRoleWithWebIdentity",` +
              `"Condition":{"StringEquals":{"${url}:sub":"system:serviceaccount:app:sa-${r}",` +
              `"${url}:aud":"sts.amazonaws.com"}}}]}`,
          });
        }
      }
    }
    accounts.push(account);
  }
  return {
    name: `generated ${options.accounts}x${regions.length}x${perRegion}`,
    partition,
    accounts,
    ...(options.organization === false ? {} : { organization: { managementAccount: generatedAccountId(0) } }),
    ...(options.faults ? { faults: options.faults } : {}),
  };
}
