// Builders for a cluster's Kubernetes side as src/inventory/kubernetes reads it: by default the namespaces
// `default` and `kube-system`, service account `default/app` annotated with role `app-irsa` (the role aRole
// builds), and one running pod of it whose webhook-set AWS_ROLE_ARN names that role.

import type {
  Cluster,
  KubernetesPod,
  KubernetesServiceAccount,
  KubernetesSide,
  NamespaceAccounts,
} from '../../src/model/inventory.ts';
import { ACCOUNT_ID } from './inventory.ts';

export function roleArnOf(name = 'app-irsa', accountId = ACCOUNT_ID): string {
  return `arn:aws:iam::${accountId}:role/${name}`;
}

export function aServiceAccount(overrides: Partial<KubernetesServiceAccount> = {}): KubernetesServiceAccount {
  return { namespace: 'default', name: 'app', roleArn: roleArnOf(), ...overrides };
}

/** Service accounts of a namespace without an IRSA annotation, as the reads keep them: by name. */
export function unannotatedIn(namespace: string, ...names: string[]): NamespaceAccounts {
  return { namespace, names };
}

export function aPod(overrides: Partial<KubernetesPod> = {}): KubernetesPod {
  return {
    namespace: 'default',
    name: 'app-7d9f8b6c5-x2x4q',
    serviceAccount: 'app',
    startTime: '2026-05-30T10:00:00Z',
    roleArns: [roleArnOf()],
    webIdentity: true,
    podIdentity: false,
    ...overrides,
  };
}

function aKubernetesSide(overrides: Partial<KubernetesSide> = {}): KubernetesSide {
  return {
    namespaces: ['default', 'kube-system'],
    serviceAccounts: [aServiceAccount()],
    unannotated: [unannotatedIn('default', 'default'), unannotatedIn('kube-system', 'default')],
    pods: [aPod()],
    ...overrides,
  };
}

/** The cluster with its Kubernetes side read. */
export function readCluster(cluster: Cluster, side: Partial<KubernetesSide> = {}): Cluster {
  return { ...cluster, kubernetes: aKubernetesSide(side) };
}
