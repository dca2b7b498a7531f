// Per cluster, the roles its service accounts can assume and as which subjects: the map a security team reads
// to see what a compromised namespace reaches. Built on the same analysis as the trust checks, so the report's
// map and its findings never disagree.

import type { Cluster, Role } from '../../model/inventory.ts';
import type { IssuerUrl } from '../../naming/issuer-url.ts';
import type { Breadth, RoleTrust } from './analysis.ts';
import type { AssociationAnalysis } from './pod-identity.ts';

export interface AssumableRole {
  roleArn: string;
  roleName: string;
  accountId: string;
  /** How the cluster's pods reach the role: a web identity token (IRSA) or an EKS Pod Identity association. */
  via: 'irsa' | 'pod-identity';
  /** IRSA: the provider through which the cluster's tokens reach the role (it lives in the role's account). */
  providerArn?: string;
  /** Pod Identity: the association that hands the role (or, chained, its target role) to the pods. */
  associationArn?: string;
  /**
   * Pod Identity: the association's session policy, which narrows what the pods get of this role: set on the role
   * the pods end up with (the target role when chained; EKS applies it to the target's permissions only).
   */
  sessionPolicy?: string;
  /** `namespace:serviceaccount` patterns, `*` standing for any value: `kube-system:aws-node`, `ci:*`, `*:*`. */
  subjects: string[];
  breadth: Exclude<Breadth, 'none'>;
  /** IRSA: the provider's client IDs the role accepts; undefined when the provider was not read. */
  audiences?: string[] | undefined;
  /** IRSA: false when the role's account's providers were not audited, so the provider's existence is assumed. */
  providerVerified?: boolean;
}

export interface ClusterAssumableRoles {
  clusterArn: string;
  clusterName: string;
  accountId: string;
  region: string;
  issuer: string;
  roles: AssumableRole[];
}

/**
 * For each cluster with an OIDC issuer, the roles its service accounts can assume, ordered by role ARN.
 * `issuerUrl` is the facts step's shared parser (InventoryLookup.issuerUrl).
 */
export function assumableRolesByCluster(
  clusters: readonly Cluster[],
  trusts: Iterable<RoleTrust>,
  podIdentity: (cluster: Cluster) => AssumableRole[],
  issuerUrl: (raw: string) => IssuerUrl | undefined,
): ClusterAssumableRoles[] {
  // One pass over the roles, indexed by issuer: clusters × roles would not finish on large organizations.
  const byIssuer = new Map<string, AssumableRole[]>();
  for (const trust of trusts) {
    for (const provider of trust.providers) {
      const ref = provider.provider;
      // Tokens carry the oidc.eks issuer, so only a provider registered under that URL (not the dual-stack
      // alias) in the role's own account lets them in.
      const reachable = ref.kind === 'eks' && (ref.status === 'ok' || ref.status === 'unverified');
      const breadth = provider.access.breadth;
      if (!reachable || breadth === 'none') continue;
      const audiences = provider.grants.some((grant) => grant.audiences === undefined)
        ? undefined
        : [...new Set(provider.grants.flatMap((grant) => grant.audiences ?? []))];
      // Keyed by issuer alone: a role in another account reaches the cluster through its own account's provider.
      const key = ref.issuer.canonical;
      const list = byIssuer.get(key) ?? [];
      list.push({
        roleArn: trust.role.arn,
        roleName: trust.role.name,
        accountId: trust.role.accountId,
        via: 'irsa',
        providerArn: ref.arn,
        subjects: provider.access.subjects.map((subject) => subject.pattern),
        breadth,
        audiences,
        providerVerified: ref.status === 'ok',
      });
      byIssuer.set(key, list);
    }
  }
  return clusters.flatMap((cluster) => {
    const canonical = cluster.issuer === null ? undefined : issuerUrl(cluster.issuer)?.canonical;
    if (cluster.issuer === null || canonical === undefined) return [];
    const roles = [...(byIssuer.get(canonical) ?? []), ...podIdentity(cluster)];
    roles.sort((a, b) =>
      a.roleArn < b.roleArn ? -1 : a.roleArn > b.roleArn ? 1 : a.via < b.via ? -1 : a.via > b.via ? 1 : 0,
    );
    return [
      {
        clusterArn: cluster.arn,
        clusterName: cluster.name,
        accountId: cluster.accountId,
        region: cluster.region,
        issuer: cluster.issuer,
        roles,
      },
    ];
  });
}

/**
 * The roles a cluster's Pod Identity associations hand to its pods: each association's role when its trust admits
 * the association, and, chained, its target role when that admits the first role with the external id. Roles of
 * accounts whose roles were not read are left out: nothing says they exist.
 */
export function podIdentityRoles(analyses: readonly AssociationAnalysis[]): AssumableRole[] {
  return analyses.flatMap(({ association, role, trust, target, targetTrust }) => {
    const entry = (found: Role, narrowed: boolean): AssumableRole => ({
      roleArn: found.arn,
      roleName: found.name,
      accountId: found.accountId,
      via: 'pod-identity',
      associationArn: association.associationArn,
      ...(narrowed && association.sessionPolicy ? { sessionPolicy: association.sessionPolicy } : {}),
      subjects: [`${association.namespace}:${association.serviceAccount}`],
      breadth: 'exact',
    });
    if (role.kind !== 'found' || trust?.assume === false) return [];
    const chained = association.targetRoleArn !== undefined;
    const reachesTarget = target?.kind === 'found' && targetTrust?.withExternalId !== false;
    return [entry(role.role, !chained), ...(reachesTarget ? [entry(target.role, true)] : [])];
  });
}
