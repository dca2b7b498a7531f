// Who reaches a role from another account: a cluster whose service accounts can assume a role of an account other
// than the cluster's own (cross-account IRSA, docs/providers.md). Often intended, always worth knowing: a pod of
// that cluster acts in this account. Across OUs of the organization (prod and dev, two business units) it crosses
// a trust boundary the organization drew on purpose, and is medium.

import type { ClusterAssumableRoles } from '../facts/index.ts';
import type { AssumableRole } from '../facts/trust/assumable.ts';
import { type FamilyFinding, family } from './family.ts';
import { makeFinding } from './finding.ts';
import type { OrganizationView } from './types.ts';

/** What this family may emit (src/checks/family.ts). */
type CrossAccountFinding = FamilyFinding<'cross-account'>;

export const checkCrossAccount = family('cross-account', (facts, context) =>
  facts.assumableRoles.flatMap((cluster) =>
    cluster.roles
      .filter((role) => role.accountId !== cluster.accountId)
      .map((role) => crossAccountFinding(cluster, role, context.organization)),
  ),
);

function crossAccountFinding(
  cluster: ClusterAssumableRoles,
  role: AssumableRole,
  organization: OrganizationView | undefined,
): CrossAccountFinding {
  const ouPaths = organization?.ouPaths ?? {};
  const roleOu = ouPaths[role.accountId];
  const clusterOu = ouPaths[cluster.accountId];
  const known = roleOu !== undefined && clusterOu !== undefined;
  const apart = known && roleOu !== clusterOu;
  const label = (id: string) => (organization?.names[id] ? `${organization.names[id]} (${id})` : id);
  const path = role.via === 'irsa' ? role.providerArn : `Pod Identity association ${role.associationArn}`;
  const boundary = apart
    ? `; the accounts sit in different OUs (${clusterOu} and ${roleOu}): the path crosses a boundary the organization drew`
    : known
      ? `; both accounts sit in OU ${roleOu}`
      : '';
  return makeFinding({
    check: 'trust-cross-account',
    severity: apart ? 'medium' : 'info',
    accountId: role.accountId,
    region: cluster.region,
    resource: role.roleArn,
    cluster: cluster.clusterName,
    discriminator: cluster.clusterArn,
    message:
      `Role ${role.roleName} of account ${label(role.accountId)} can be assumed from cluster ${cluster.clusterName} ` +
      `of account ${label(cluster.accountId)} by ${role.subjects.map((s) => `"${s}"`).join(', ')}, through ` +
      `${path}: a pod there acts in this account${boundary}`,
    remediation:
      role.via === 'irsa'
        ? `If intended, keep the trust policy of role ${role.roleName} to exact service accounts; if not, remove its ` +
          `statement trusting ${role.providerArn}`
        : `If intended, keep the trust policy of role ${role.roleName} to the association's external id; if not, ` +
          `remove the target role from association ${role.associationArn}`,
    evidence: {
      expected:
        'roles assumable only from clusters of their own account, or a cross-account path that is intended',
      found: {
        clusterArn: cluster.clusterArn,
        clusterAccount: cluster.accountId,
        roleAccount: role.accountId,
      },
      via: role.via,
      ...(role.providerArn ? { providerArn: role.providerArn } : {}),
      ...(role.associationArn ? { associationArn: role.associationArn } : {}),
      subjects: role.subjects,
      breadth: role.breadth,
      ouPaths: known
        ? { cluster: clusterOu, role: roleOu }
        : `unknown: ${organization?.ouPathsError ?? 'the organization was not listed (--accounts org reads it)'}`,
    },
  });
}
