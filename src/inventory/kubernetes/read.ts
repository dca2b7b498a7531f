// What the checks need of one cluster's Kubernetes API: namespaces and service accounts as metadata, then the
// running pods of the service accounts that matter (annotated for IRSA, or named by a Pod Identity association),
// listed once per namespace that holds one, reduced to what the IRSA webhook and the Pod Identity webhook put in
// their environment.

import {
  AUDIENCE_ANNOTATION,
  holdsServiceAccount,
  type KubernetesPod,
  type KubernetesServiceAccount,
  type KubernetesSide,
  type NamespaceAccounts,
  ROLE_ARN_ANNOTATION,
  type ServiceAccountLists,
} from '../../model/inventory.ts';
import { exact, type StringPool, unpooled, type ValuePool } from '../../runtime/compact.ts';
import { FULL_OBJECTS, type KubernetesSession, METADATA_ONLY } from './session.ts';

interface Metadata {
  metadata?: { name?: unknown; namespace?: unknown; annotations?: Record<string, unknown> };
}

interface PodObject extends Metadata {
  spec?: {
    serviceAccountName?: unknown;
    containers?: { env?: { name?: unknown; value?: unknown }[] }[];
    initContainers?: { env?: { name?: unknown; value?: unknown }[] }[];
  };
  status?: { startTime?: unknown };
}

/** Service accounts whose pods are read, of those a cluster holds: `<namespace>/<name>`. */
export type PodSelection = (accounts: ServiceAccountLists) => Set<string>;

/** What the reads of a run's clusters share (src/inventory/collect.ts). */
export interface SidePools {
  /** One copy of each namespace, service account and role name. */
  names: StringPool;
  /** One entry for each namespace's list of unannotated service accounts, as many clusters hold the same. */
  namespaces: ValuePool<NamespaceAccounts>;
}

const UNPOOLED: SidePools = { names: unpooled, namespaces: unpooled };

/**
 * The side is kept until the checks have run, for every cluster of the organization: its arrays are held at their
 * exact length, and its names and namespaces' lists, which repeat from cluster to cluster, come from the run's
 * pools.
 */
export async function readKubernetesSide(
  session: KubernetesSession,
  podsOf: PodSelection,
  pools: SidePools = UNPOOLED,
): Promise<KubernetesSide> {
  const { names } = pools;
  // One list after the other, so that the cluster's reads go over one connection: side by side, each would open
  // one (and pay its handshake) for every cluster whose reads wait in the run's lanes.
  const namespaceItems = await session.list<Metadata>('/api/v1/namespaces', METADATA_ONLY);
  const accountItems = await session.list<Metadata>('/api/v1/serviceaccounts', METADATA_ONLY);
  const namespaces = namespaceItems.flatMap((item) => pooled(item.metadata?.name, names) ?? []).sort();
  const accounts = accountItems.flatMap((item) => serviceAccountOf(item, names)).sort(byNamespaceAndName);
  const serviceAccounts = accounts.filter(isAnnotated);
  const unannotated = namespaceLists(
    accounts.filter((sa) => !isAnnotated(sa)),
    pools.namespaces,
  );
  const selected = podsOf({ serviceAccounts, unannotated });
  const podLists: PodObject[][] = [];
  for (const [namespace, accountNames] of byNamespace(selected))
    podLists.push(
      await session.list<PodObject>(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
        FULL_OBJECTS,
        {
          fieldSelector: runningPodsOf(accountNames),
        },
      ),
    );
  const pods = podLists
    .flat()
    .flatMap((item) => podOf(item, names))
    .filter((pod) => selected.has(`${pod.namespace}/${pod.serviceAccount}`))
    .sort(byNamespaceAndName);
  return {
    namespaces: exact(namespaces),
    serviceAccounts: exact(serviceAccounts),
    unannotated,
    pods: exact(pods),
  };
}

function isAnnotated(sa: KubernetesServiceAccount): boolean {
  return sa.roleArn !== undefined || sa.audience !== undefined;
}

/** Service accounts in order, as their namespaces' lists of names, each list the pool's. */
function namespaceLists(
  accounts: readonly KubernetesServiceAccount[],
  pool: ValuePool<NamespaceAccounts>,
): NamespaceAccounts[] {
  return [...Map.groupBy(accounts, (sa) => sa.namespace)].map(([namespace, held]) =>
    pool({ namespace, names: held.map((sa) => sa.name) }),
  );
}

/** The selected service accounts' names by namespace, namespaces in order. */
function byNamespace(selected: ReadonlySet<string>): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const key of [...selected].sort()) {
    const [namespace = '', name = ''] = key.split('/');
    grouped.set(namespace, [...(grouped.get(namespace) ?? []), name]);
  }
  return grouped;
}

/**
 * One list of a namespace's running pods, whatever the number of its service accounts that matter: a field
 * selector ANDs its terms, so it cannot name two. Narrowed to the service account when it is the only one there:
 * the same one request, without the other pods' specs.
 */
function runningPodsOf(names: readonly string[]): string {
  return names.length === 1
    ? `spec.serviceAccountName=${names[0]},status.phase=Running`
    : 'status.phase=Running';
}

/** The annotated service accounts, and those a Pod Identity association names. */
export function podsThatMatter(
  associations: readonly { namespace: string; serviceAccount: string }[],
): PodSelection {
  return (accounts) =>
    new Set([
      ...accounts.serviceAccounts
        .filter((sa) => sa.roleArn !== undefined)
        .map((sa) => `${sa.namespace}/${sa.name}`),
      ...associations
        .filter((a) => holdsServiceAccount(accounts, a.namespace, a.serviceAccount))
        .map((a) => `${a.namespace}/${a.serviceAccount}`),
    ]);
}

function serviceAccountOf(item: Metadata, names: StringPool): KubernetesServiceAccount[] {
  const name = text(item.metadata?.name);
  const namespace = text(item.metadata?.namespace);
  if (name === undefined || namespace === undefined) return [];
  const annotations = item.metadata?.annotations ?? {};
  const roleArn = pooled(annotations[ROLE_ARN_ANNOTATION], names);
  const audience = pooled(annotations[AUDIENCE_ANNOTATION], names);
  return [
    {
      namespace: names(namespace),
      name: names(name),
      ...(roleArn !== undefined ? { roleArn } : {}),
      ...(audience !== undefined ? { audience } : {}),
    },
  ];
}

function podOf(item: PodObject, names: StringPool): KubernetesPod[] {
  const name = text(item.metadata?.name);
  const namespace = pooled(item.metadata?.namespace, names);
  const serviceAccount = pooled(item.spec?.serviceAccountName, names);
  if (name === undefined || namespace === undefined || serviceAccount === undefined) return [];
  const env = [...(item.spec?.containers ?? []), ...(item.spec?.initContainers ?? [])].flatMap(
    (container) => container.env ?? [],
  );
  const valuesOf = (wanted: string) =>
    env.flatMap((entry) => (entry.name === wanted ? [text(entry.value) ?? ''] : []));
  const startTime = text(item.status?.startTime);
  return [
    {
      namespace,
      name,
      serviceAccount,
      ...(startTime !== undefined ? { startTime } : {}),
      // The role's ARN, as its service account's annotation and IAM name it: one copy of them all.
      roleArns: [...new Set(valuesOf('AWS_ROLE_ARN'))].sort().map(names),
      webIdentity: valuesOf('AWS_WEB_IDENTITY_TOKEN_FILE').length > 0,
      podIdentity: valuesOf('AWS_CONTAINER_CREDENTIALS_FULL_URI').length > 0,
    },
  ];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The pool's string for the value, when it is a string. */
function pooled(value: unknown, names: StringPool): string | undefined {
  return typeof value === 'string' ? names(value) : undefined;
}

function byNamespaceAndName(
  a: { namespace: string; name: string },
  b: { namespace: string; name: string },
): number {
  return a.namespace < b.namespace
    ? -1
    : a.namespace > b.namespace
      ? 1
      : a.name < b.name
        ? -1
        : a.name > b.name
          ? 1
          : 0;
}
