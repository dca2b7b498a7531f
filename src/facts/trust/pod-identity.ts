// Whether a role's trust policy lets EKS Pod Identity in, for one association (docs/pod-identity.md).
//
// EKS assumes the association's role as the service principal `pods.eks.amazonaws.com`, calling sts:AssumeRole
// and, unless the association disables them, sts:TagSession with its session tags. The request context is known
// to the auditor: aws:SourceAccount (the cluster's account), aws:SourceArn (the cluster), and the session tags
// `aws:RequestTag/<tag>` (cluster ARN and name, namespace, service account; pod name and uid are not known). A
// target role is then assumed by the first role, with the association's external id as sts:ExternalId. Every
// other key is unknown, evaluated leaning towards access as for IRSA (src/facts/trust/analysis.ts).

import type { Cluster, PodIdentityAssociation, Role } from '../../model/inventory.ts';
import { parseArn } from '../../naming/arn.ts';
import type { InventoryLookup } from '../lookup.ts';
import { evaluateWith, or, type Resolver, type Truth } from './conditions.ts';
import {
  coversAction,
  parseTrustPolicy,
  principalValues,
  type Statement,
  type TrustPolicy,
} from './policy.ts';

export const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';
export const ASSUME_ROLE = 'sts:AssumeRole';
export const TAG_SESSION = 'sts:TagSession';

/** What EKS Pod Identity puts in the request when it assumes a role for one association. */
export interface PodIdentityRequest {
  accountId: string;
  clusterArn: string;
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  sessionTags: boolean;
}

/** The request EKS makes for an association of a cluster. */
export function podIdentityRequest(
  cluster: Cluster,
  association: PodIdentityAssociation,
): PodIdentityRequest {
  return {
    accountId: cluster.accountId,
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    namespace: association.namespace,
    serviceAccount: association.serviceAccount,
    sessionTags: !association.disableSessionTags,
  };
}

export type AssociationRole =
  | { kind: 'found'; role: Role; policy: TrustPolicy }
  /** Exists, but its trust could not be read: the trust family names that blind spot. */
  | { kind: 'unreadable' }
  | { kind: 'missing' }
  /** Its account's roles were not read: nothing can be said. */
  | { kind: 'unknown' };

/** The role an association names, by account and name (EKS keeps the ARN as given; the path does not count). */
export function associationRole(lookup: InventoryLookup, roleArn: string): AssociationRole {
  const arn = parseArn(roleArn);
  const name = arn?.resource.startsWith('role/')
    ? arn.resource.slice(arn.resource.lastIndexOf('/') + 1)
    : undefined;
  if (!arn || name === undefined || lookup.account(arn.accountId)?.rolesAudited !== true)
    return { kind: 'unknown' };
  const role = lookup.role(arn.accountId, name);
  if (!role) return { kind: 'missing' };
  const parsed = parseTrustPolicy(role.trustPolicy);
  return parsed.ok ? { kind: 'found', role, policy: parsed.policy } : { kind: 'unreadable' };
}

const UNKNOWN_TAGS = ['kubernetes-pod-name', 'kubernetes-pod-uid'];

function podIdentityResolver(request: PodIdentityRequest): Resolver {
  const tags: Record<string, string> = {
    'eks-cluster-arn': request.clusterArn,
    'eks-cluster-name': request.clusterName,
    'kubernetes-namespace': request.namespace,
    'kubernetes-service-account': request.serviceAccount,
  };
  return (key) => {
    const lower = key.toLowerCase();
    if (lower === 'aws:sourceaccount') return [request.accountId];
    if (lower === 'aws:sourcearn') return [request.clusterArn];
    if (lower === 'aws:tagkeys')
      return request.sessionTags ? [...Object.keys(tags), ...UNKNOWN_TAGS] : undefined;
    if (lower.startsWith('aws:requesttag/')) {
      if (!request.sessionTags) return undefined;
      const tag = lower.slice('aws:requesttag/'.length);
      const value = tags[tag];
      if (value !== undefined) return [value];
      return UNKNOWN_TAGS.includes(tag) ? 'unknown' : undefined;
    }
    return 'unknown';
  };
}

/** Whether the statement's principal is the caller: true, false, or unknown for forms IAM does not document. */
type CallerMatch = (statement: Statement) => Truth;

function serviceCaller(service: string): CallerMatch {
  return (statement) =>
    principalIs(statement, (principal) =>
      principal.kind === 'any'
        ? true
        : principalValues(principal, 'Service').some((value) => value.toLowerCase() === service),
    );
}

/** A role as the caller (the first role of a chained association): its ARN, its account's root or id, or `*`. */
function roleCaller(roleArn: string): CallerMatch {
  const account = roleArn.split(':')[4] ?? '';
  const partition = roleArn.split(':')[1] ?? 'aws';
  const names = new Set([roleArn, `arn:${partition}:iam::${account}:root`, account, '*']);
  return (statement) =>
    principalIs(statement, (principal) =>
      principal.kind === 'any' ? true : principalValues(principal, 'AWS').some((value) => names.has(value)),
    );
}

function principalIs(
  statement: Statement,
  matches: (principal: NonNullable<Statement['principal']>) => boolean,
): Truth {
  if (statement.principal) return matches(statement.principal);
  if (statement.notPrincipal) return !matches(statement.notPrincipal);
  return false;
}

/** Whether the policy allows the action to the caller in this context: some Allow may hold, no Deny surely does. */
function allows(policy: TrustPolicy, caller: CallerMatch, action: string, resolve: Resolver): Truth {
  const applies = (statement: Statement): Truth => {
    const principal = caller(statement);
    if (principal === false || !coversAction(statement, action)) return false;
    const condition = evaluateWith(statement.condition, resolve);
    return condition === false ? false : principal === true && condition === true ? true : 'unknown';
  };
  const allowed = policy.statements
    .filter((statement) => statement.effect === 'Allow')
    .reduce<Truth>((result, statement) => or(result, applies(statement)), false);
  if (allowed === false) return false;
  const denied = policy.statements.some(
    (statement) => statement.effect === 'Deny' && applies(statement) === true,
  );
  return denied ? false : allowed;
}

export interface PodIdentityTrust {
  /** sts:AssumeRole for pods.eks.amazonaws.com in this association's context. */
  assume: Truth;
  /** sts:TagSession, which EKS calls unless the association disables session tags. */
  tagSession: Truth;
}

export function podIdentityTrust(policy: TrustPolicy, request: PodIdentityRequest): PodIdentityTrust {
  const resolve = podIdentityResolver(request);
  const caller = serviceCaller(POD_IDENTITY_SERVICE);
  return {
    assume: allows(policy, caller, ASSUME_ROLE, resolve),
    tagSession: request.sessionTags ? allows(policy, caller, TAG_SESSION, resolve) : true,
  };
}

/**
 * Whether the role lets Pod Identity in for an association of any cluster, namespace and service account of any
 * account: a trust with nothing tying it to where the request comes from. Any association in the account whose
 * creator may pass the role can then use it.
 */
export function unscopedForPodIdentity(policy: TrustPolicy): boolean {
  const stranger: PodIdentityRequest = {
    accountId: '000000000000',
    clusterArn: 'arn:aws:eks:zz-nowhere-1:000000000000:cluster/zz-stranger',
    clusterName: 'zz-stranger',
    namespace: 'zz-stranger',
    serviceAccount: 'zz-stranger',
    sessionTags: true,
  };
  return (
    allows(policy, serviceCaller(POD_IDENTITY_SERVICE), ASSUME_ROLE, podIdentityResolver(stranger)) === true
  );
}

/** Whether the policy names pods.eks.amazonaws.com in an Allow statement at all: the role is meant for Pod Identity. */
export function trustsPodIdentity(policy: TrustPolicy): boolean {
  return policy.statements.some(
    (statement) =>
      statement.effect === 'Allow' &&
      principalValues(statement.principal, 'Service').some(
        (value) => value.toLowerCase() === POD_IDENTITY_SERVICE,
      ),
  );
}

/** A chained association's target role: assumable by the first role with the association's external id. */
export function targetTrust(
  policy: TrustPolicy,
  sourceRoleArn: string,
  externalId: string | undefined,
  sessionTags: boolean,
): TargetTrust {
  const caller = roleCaller(sourceRoleArn);
  const context =
    (id: string | undefined): Resolver =>
    (key) => {
      const lower = key.toLowerCase();
      if (lower === 'sts:externalid') return id === undefined ? undefined : [id];
      if (lower === 'aws:principalarn') return [sourceRoleArn];
      if (lower === 'aws:principalaccount') return [sourceRoleArn.split(':')[4] ?? ''];
      return 'unknown';
    };
  const both = (resolve: Resolver): Truth => {
    const assume = allows(policy, caller, ASSUME_ROLE, resolve);
    return sessionTags && assume !== false
      ? allows(policy, caller, TAG_SESSION, resolve) === false
        ? false
        : assume
      : assume;
  };
  const withExternalId = both(context(externalId));
  return {
    withExternalId,
    withOtherExternalId: both(context('zz-not-the-external-id')),
    tagSessionMissing:
      withExternalId === false &&
      allows(policy, caller, ASSUME_ROLE, context(externalId)) !== false &&
      sessionTags,
  };
}

/** How a chained association's target role answers the first role. */
export interface TargetTrust {
  withExternalId: Truth;
  withOtherExternalId: Truth;
  /** The role may be assumed but not tagged, while the association keeps its session tags for the chained call. */
  tagSessionMissing: boolean;
}

/** What the facts step says of one Pod Identity association: its roles and how their trust answers EKS. */
export interface AssociationAnalysis {
  cluster: Cluster;
  association: PodIdentityAssociation;
  role: AssociationRole;
  /** The role's trust for this association, when the role was found. */
  trust?: PodIdentityTrust;
  target?: AssociationRole;
  /** The target role's trust for the first role, when there is one and it was found. */
  targetTrust?: TargetTrust;
}

/** Every association of every cluster, each analysed once for the checks and the report's role map. */
export function analyseAssociations(
  clusters: readonly Cluster[],
  lookup: InventoryLookup,
): AssociationAnalysis[] {
  return clusters.flatMap((cluster) =>
    (cluster.podIdentity?.associations ?? []).map((association): AssociationAnalysis => {
      const request = podIdentityRequest(cluster, association);
      const role = associationRole(lookup, association.roleArn);
      const target = association.targetRoleArn
        ? associationRole(lookup, association.targetRoleArn)
        : undefined;
      return {
        cluster,
        association,
        role,
        ...(role.kind === 'found' ? { trust: podIdentityTrust(role.policy, request) } : {}),
        ...(target ? { target } : {}),
        ...(target?.kind === 'found'
          ? {
              targetTrust: targetTrust(
                target.policy,
                association.roleArn,
                association.externalId,
                request.sessionTags,
              ),
            }
          : {}),
      };
    }),
  );
}
