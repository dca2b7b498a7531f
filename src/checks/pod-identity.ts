// EKS Pod Identity: whether each association's role can be assumed the way EKS assumes it, whether the agent that
// hands pods their credentials runs, and which roles any association of the account could use.
// docs/pod-identity.md; the trust evaluation is src/facts/trust/pod-identity.ts.

import {
  ASSUME_ROLE,
  type AssociationAnalysis,
  POD_IDENTITY_SERVICE,
  type PodIdentityTrust,
  podIdentityRequest,
  podIdentityTrust,
  TAG_SESSION,
  trustsPodIdentity,
  unscopedForPodIdentity,
} from '../facts/trust/pod-identity.ts';
import { parseTrustPolicy, type TrustPolicy } from '../facts/trust/policy.ts';
import {
  type Cluster,
  POD_IDENTITY_AGENT_ADDON,
  type PodIdentityAssociation,
  type Role,
} from '../model/inventory.ts';
import { type FamilyFinding, family } from './family.ts';
import { clusterPlace, makeFinding } from './finding.ts';
import { shellQuote, steps, updateAssociationCommand } from './remediation.ts';

/** What this family may emit (src/checks/family.ts). */
type PodIdentityFinding = FamilyFinding<'pod-identity'>;

/** Statuses in which the add-on serves credentials (UPDATING keeps the running version). */
const HEALTHY_AGENT = new Set(['ACTIVE', 'UPDATING']);
const NO_CREDENTIALS =
  'pods get no credentials: the SDK cannot reach the agent at 169.254.170.23 ("Unable to locate credentials")';
const AGENT_REFUSES = 'pods get no credentials: the agent answers their requests with an error';
const ACCESS_DENIED = 'AccessDenied: Not authorized to perform sts:AssumeRole';
const SERVICE_TRUST = JSON.stringify({
  Effect: 'Allow',
  Principal: { Service: POD_IDENTITY_SERVICE },
  Action: [ASSUME_ROLE, TAG_SESSION],
});

export const checkPodIdentity = family('pod-identity', (facts) => [
  ...facts.inventory.clusters.flatMap(agentMissing),
  ...facts.podIdentity.flatMap(associationFindings),
  ...facts.inventory.roles.flatMap(unscoped),
]);

function agentMissing(cluster: Cluster): PodIdentityFinding[] {
  const pod = cluster.podIdentity;
  if (!pod || pod.associations.length === 0 || cluster.autoMode || pod.agent === undefined) return [];
  if (pod.agent !== null && HEALTHY_AGENT.has(pod.agent.status)) return [];
  const state = pod.agent === null ? 'is not installed' : `is ${pod.agent.status}`;
  const base = ['aws', 'eks', '--region', cluster.region];
  return [
    makeFinding({
      check: 'pod-identity-agent-missing',
      severity: 'high',
      ...clusterPlace(cluster),
      message:
        `Cluster ${cluster.name} has ${pod.associations.length} Pod Identity association(s), but the ${POD_IDENTITY_AGENT_ADDON} ` +
        `add-on ${state} and the cluster is not in Auto Mode: ${NO_CREDENTIALS} (unless the agent runs as a ` +
        'self-managed DaemonSet, which the auditor cannot see)',
      remediation:
        pod.agent === null
          ? [
              ...base,
              'create-addon',
              '--cluster-name',
              cluster.name,
              '--addon-name',
              POD_IDENTITY_AGENT_ADDON,
            ]
              .map(shellQuote)
              .join(' ')
          : steps(
              [
                ...base,
                'describe-addon',
                '--cluster-name',
                cluster.name,
                '--addon-name',
                POD_IDENTITY_AGENT_ADDON,
                '--query',
                'addon.health',
              ]
                .map(shellQuote)
                .join(' '),
              '# fix what the health issues name, then update or re-create the add-on',
            ),
      evidence: {
        expected: `${POD_IDENTITY_AGENT_ADDON} ACTIVE, or EKS Auto Mode`,
        found: pod.agent ?? 'not installed',
        associations: pod.associations.length,
      },
    }),
  ];
}

function associationFindings(analysis: AssociationAnalysis): PodIdentityFinding[] {
  const { cluster, association, role, trust, target, targetTrust } = analysis;
  return [
    ...(role.kind === 'missing' ? [roleMissing(cluster, association, association.roleArn, 'role')] : []),
    ...(target?.kind === 'missing' && association.targetRoleArn
      ? [roleMissing(cluster, association, association.targetRoleArn, 'target role')]
      : []),
    ...(role.kind === 'found' && trust
      ? firstRoleTrust(cluster, association, role.role, role.policy, trust)
      : []),
    ...(target?.kind === 'found' && targetTrust
      ? targetRoleTrust(cluster, association, target.role, targetTrust)
      : []),
  ];
}

function roleMissing(
  cluster: Cluster,
  association: PodIdentityAssociation,
  roleArn: string,
  which: 'role' | 'target role',
): PodIdentityFinding {
  return makeFinding({
    ...clusterPlace(cluster, association.associationArn),
    check: 'pod-identity-role-missing',
    severity: 'high',
    discriminator: which,
    message:
      `Pod Identity association ${subject(association)} of cluster ${cluster.name} names ${which} ${roleArn}, which ` +
      `does not exist: ${AGENT_REFUSES}`,
    remediation: steps(
      `# create the role, or point the association at an existing one:`,
      `${updateAssociationCommand(cluster, association, which === 'role' ? '--role-arn' : '--target-role-arn')} <existing role ARN>`,
    ),
    evidence: { expected: `an IAM role ${roleArn}`, found: "no such role among the account's roles", which },
  });
}

function firstRoleTrust(
  cluster: Cluster,
  association: PodIdentityAssociation,
  role: Role,
  policy: TrustPolicy,
  trust: PodIdentityTrust,
): PodIdentityFinding[] {
  if (trust.assume !== false && trust.tagSession !== false) return [];
  // Refused with the tags disabled: would the same association get in with them? Then the tags are the cause.
  if (association.disableSessionTags) {
    const withTags = podIdentityTrust(policy, {
      ...podIdentityRequest(cluster, association),
      sessionTags: true,
    });
    if (withTags.assume !== false)
      return [
        makeFinding({
          ...clusterPlace(cluster, association.associationArn),
          check: 'pod-identity-tags-disabled',
          severity: 'high',
          message:
            `Pod Identity association ${subject(association)} of cluster ${cluster.name} disables session tags, but ` +
            `the trust policy of role ${role.name} conditions on them (aws:RequestTag/...): it can never be assumed ` +
            `("${ACCESS_DENIED}")`,
          remediation: updateAssociationCommand(cluster, association, '--no-disable-session-tags'),
          evidence: {
            expected: 'session tags enabled, as the trust conditions need them',
            found: 'disableSessionTags: true',
            role: role.arn,
          },
        }),
      ];
  }
  const missing = [
    trust.assume === false ? ASSUME_ROLE : undefined,
    trust.tagSession === false ? TAG_SESSION : undefined,
  ]
    .filter((action) => action !== undefined)
    .join(' and ');
  return [
    makeFinding({
      ...clusterPlace(cluster, association.associationArn),
      check: 'pod-identity-trust-broken',
      severity: 'high',
      discriminator: 'role',
      message:
        `Role ${role.name} of Pod Identity association ${subject(association)} (cluster ${cluster.name}) does not ` +
        `let ${POD_IDENTITY_SERVICE} call ${missing} for this cluster, namespace and service account: ` +
        `"AccessDenied: Not authorized to perform ${missing.split(' and ')[0]}", and the pods get no credentials`,
      remediation: `In the trust policy of role ${role.name}, allow: ${SERVICE_TRUST} (with conditions that admit this association)`,
      evidence: {
        expected: `${POD_IDENTITY_SERVICE} allowed ${ASSUME_ROLE} and ${TAG_SESSION}`,
        found: trust,
        role: role.arn,
      },
    }),
  ];
}

function targetRoleTrust(
  cluster: Cluster,
  association: PodIdentityAssociation,
  target: Role,
  trust: NonNullable<AssociationAnalysis['targetTrust']>,
): PodIdentityFinding[] {
  if (trust.withExternalId === false) {
    return [
      makeFinding({
        ...clusterPlace(cluster, association.associationArn),
        check: 'pod-identity-trust-broken',
        severity: 'high',
        discriminator: 'target role',
        message:
          `Target role ${target.name} of Pod Identity association ${subject(association)} (cluster ${cluster.name}) ` +
          (trust.tagSessionMissing
            ? `lets role ${association.roleArn} call ${ASSUME_ROLE} but not ${TAG_SESSION}, which the chained call needs while the association keeps its session tags: "${ACCESS_DENIED}"`
            : `does not let role ${association.roleArn} assume it with the association's external id: "${ACCESS_DENIED}"`),
        remediation: `In the trust policy of role ${target.name}, allow ${association.roleArn} ${ASSUME_ROLE} and ${TAG_SESSION} with ${JSON.stringify({ StringEquals: { 'sts:ExternalId': association.externalId ?? '' } })}`,
        evidence: {
          expected: `${association.roleArn} allowed with sts:ExternalId`,
          found: trust,
          role: target.arn,
        },
      }),
    ];
  }
  if (trust.withOtherExternalId !== true) return [];
  return [
    makeFinding({
      ...clusterPlace(cluster, association.associationArn),
      check: 'pod-identity-target-no-external-id',
      severity: 'medium',
      message:
        `Target role ${target.name} of Pod Identity association ${subject(association)} (cluster ${cluster.name}) ` +
        `does not require the association's external id: any association chaining through role ` +
        `${association.roleArn} can use it (the confused deputy the external id prevents)`,
      remediation: `In the trust policy of role ${target.name}, add ${JSON.stringify({ Condition: { StringEquals: { 'sts:ExternalId': association.externalId ?? '' } } })}`,
      evidence: {
        expected: `sts:ExternalId = ${association.externalId ?? ''}`,
        found: 'no effective sts:ExternalId condition',
        role: target.arn,
      },
    }),
  ];
}

function unscoped(role: Role): PodIdentityFinding[] {
  const parsed = parseTrustPolicy(role.trustPolicy);
  if (!parsed.ok || !trustsPodIdentity(parsed.policy) || !unscopedForPodIdentity(parsed.policy)) return [];
  return [
    makeFinding({
      check: 'pod-identity-trust-unscoped',
      severity: 'medium',
      accountId: role.accountId,
      region: null,
      resource: role.arn,
      cluster: null,
      message:
        `Role ${role.name} trusts ${POD_IDENTITY_SERVICE} with no condition tying it to an account, cluster, ` +
        'namespace or service account: any Pod Identity association in the account, made by anyone who may pass ' +
        'the role, hands it to its pods',
      remediation: `Add to the statement trusting ${POD_IDENTITY_SERVICE}: ${JSON.stringify({
        Condition: {
          StringEquals: {
            'aws:SourceAccount': role.accountId,
            'aws:RequestTag/eks-cluster-name': '<cluster>',
            'aws:RequestTag/kubernetes-namespace': '<namespace>',
            'aws:RequestTag/kubernetes-service-account': '<service account>',
          },
        },
      })}`,
      evidence: {
        expected: 'a condition on aws:SourceAccount, aws:SourceArn or the Pod Identity session tags',
        found: 'none that excludes another cluster, namespace or service account',
      },
    }),
  ];
}

function subject(association: PodIdentityAssociation): string {
  return `${association.namespace}/${association.serviceAccount}`;
}
