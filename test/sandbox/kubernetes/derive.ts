// What one cluster's Kubernetes API holds. A cluster with a `kubernetes` block serves exactly what it lists; one
// without serves the service accounts the world's trusts name for its issuer and its Pod Identity associations
// name, unannotated and without pods: so worlds written before the sandbox served Kubernetes audit the same with
// --kubernetes, every named subject existing.

import type { ClusterState, SandboxState } from '../state.ts';
import type { WorldKubernetes } from './world.ts';

export interface ServedObject {
  namespace?: string;
  name: string;
  annotations: Record<string, string>;
}

export interface ServedPod {
  namespace: string;
  name: string;
  serviceAccount: string;
  phase: string;
  startTime: string;
  env: Record<string, string>;
}

export interface ServedCluster {
  namespaces: ServedObject[];
  serviceAccounts: ServedObject[];
  pods: ServedPod[];
}

const ALWAYS = ['default', 'kube-system'];
const SUBJECT =
  /system:serviceaccount:([a-z0-9]([-a-z0-9]*[a-z0-9])?):([a-z0-9]([-a-z0-9.]*[a-z0-9])?)(?=")/g;
const ROLE_ARN = 'eks.amazonaws.com/role-arn';

export function servedCluster(state: SandboxState, cluster: ClusterState): ServedCluster {
  const block = cluster.world.kubernetes;
  const accounts = block ? explicit(block) : derived(state, cluster);
  const namespaces = [
    ...new Set([...ALWAYS, ...(block?.namespaces ?? []), ...accounts.map((sa) => sa.namespace ?? '')]),
  ]
    .filter((name) => name !== '')
    .sort()
    .map((name) => ({ name, annotations: {} }));
  const annotationOf = (namespace: string, name: string) =>
    accounts.find((sa) => sa.namespace === namespace && sa.name === name)?.annotations[ROLE_ARN];
  const pods = (block?.pods ?? []).map((pod) => {
    const roleArn = annotationOf(pod.namespace, pod.serviceAccount);
    const webhook: Record<string, string> = roleArn
      ? {
          AWS_ROLE_ARN: roleArn,
          AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
        }
      : {};
    return {
      namespace: pod.namespace,
      name: pod.name,
      serviceAccount: pod.serviceAccount,
      phase: pod.phase,
      startTime: pod.startTime ?? '2026-01-15T10:00:00Z',
      env: pod.env ?? webhook,
    };
  });
  return { namespaces, serviceAccounts: accounts, pods };
}

function explicit(block: WorldKubernetes): ServedObject[] {
  return block.serviceAccounts.map((sa) => ({
    namespace: sa.namespace,
    name: sa.name,
    annotations: sa.annotations,
  }));
}

function derived(state: SandboxState, cluster: ClusterState): ServedObject[] {
  const found = new Map<string, ServedObject>();
  const add = (namespace: string, name: string) =>
    found.set(`${namespace}/${name}`, { namespace, name, annotations: {} });
  for (const association of cluster.world.podIdentityAssociations)
    add(association.namespace, association.serviceAccount);
  if (cluster.issuerId !== null) {
    for (const other of state.accounts.values())
      for (const role of other.roles) {
        const trust = typeof role.trust === 'string' ? role.trust : JSON.stringify(role.trust);
        if (!trust.includes(cluster.issuerId)) continue;
        for (const match of trust.matchAll(SUBJECT)) add(match[1] ?? '', match[3] ?? '');
      }
  }
  return [...found.values()];
}
