// Subject values no token can ever carry: a space pasted from an article, a misspelt prefix, a part too many,
// a wildcard under an operator that compares literally. Such a value never matches, so its statement lets
// nobody in (AccessDenied) or, in a Deny, silently stops denying.

import {
  type ConditionOperator,
  hasPolicyVariable,
  hasWildcard,
  type ValueOptions,
  valuePieces,
} from './conditions.ts';
import { isNamespaceName, isServiceAccountName, type SubjectScheme } from './subjects.ts';

export interface MalformedSubject {
  reason: string;
  /** The value as it was probably meant, when the auditor can tell. */
  corrected: string | undefined;
}

const EKS_PREFIX = 'system:serviceaccount:';

export function malformedSubject(
  scheme: SubjectScheme,
  value: string,
  operator: ConditionOperator,
  options: ValueOptions,
): MalformedSubject | undefined {
  if (hasPolicyVariable(value, options)) return undefined;
  if (/\s/.test(value)) {
    const trimmed = value.replace(/\s+/g, '');
    return { reason: 'contains whitespace (a stray space)', corrected: trimmed === '' ? undefined : trimmed };
  }
  if (!operator.like && hasWildcard(value, true, options)) {
    return {
      reason: `has a wildcard, but ${operator.raw} compares it literally (only StringLike expands * and ?)`,
      corrected: undefined,
    };
  }
  // A literal subject of a fixed grammar (HCP Terraform, Buildkite, CircleCI, Bitbucket) splits or is no subject.
  const fixed = scheme.kind === 'keyed' || scheme.kind === 'bitbucket';
  if (fixed && !hasWildcard(value, operator.like, options) && !scheme.split(value)) {
    return {
      reason: `does not follow the subject grammar ${scheme.recommendedSubject()}`,
      corrected: undefined,
    };
  }
  if (scheme.kind !== 'eks') return undefined;
  return malformedServiceAccount(operator.ignoreCase ? value.toLowerCase() : value, operator, options);
}

function malformedServiceAccount(
  value: string,
  operator: ConditionOperator,
  options: ValueOptions,
): MalformedSubject | undefined {
  const wild = operator.like && hasWildcard(value, true, options);
  const literalHead = wild ? literalPrefix(value, options) : value;
  const parts = value.split(':');
  if (!literalHead.startsWith(EKS_PREFIX) && !EKS_PREFIX.startsWith(literalHead)) {
    const corrected = parts.length === 4 ? `${EKS_PREFIX}${parts[2] ?? ''}:${parts[3] ?? ''}` : undefined;
    return { reason: `does not start with "${EKS_PREFIX}" (misspelt)`, corrected };
  }
  // A wildcard may span colons, so part counts and names are only checked where they are literal.
  if (!wild && parts.length !== 4) {
    return {
      reason: `has ${parts.length} colon-separated parts; service account subjects have 4 (system:serviceaccount:<namespace>:<name>)`,
      corrected: undefined,
    };
  }
  if (parts.length !== 4) return undefined;
  const namespace = parts[2] ?? '';
  const account = parts[3] ?? '';
  if (!hasWildcard(namespace, wild, options) && !isNamespaceName(namespace)) {
    return {
      reason: `names namespace "${namespace}", which is not a valid Kubernetes namespace name`,
      corrected:
        kubernetesName(namespace) === namespace
          ? undefined
          : `${EKS_PREFIX}${kubernetesName(namespace)}:${account}`,
    };
  }
  if (!hasWildcard(account, wild, options) && !isServiceAccountName(account)) {
    return {
      reason: `names service account "${account}", which is not a valid Kubernetes service account name`,
      corrected:
        kubernetesName(account) === account
          ? undefined
          : `${EKS_PREFIX}${namespace}:${kubernetesName(account)}`,
    };
  }
  if (wild && /[A-Z_]/.test(namespace + account)) {
    return {
      reason: 'has upper-case letters or underscores, which Kubernetes names never contain',
      corrected: undefined,
    };
  }
  return undefined;
}

function literalPrefix(value: string, options: ValueOptions): string {
  let head = '';
  for (const piece of valuePieces(value, true, options)) {
    if (piece.kind !== 'text') break;
    head += piece.text;
  }
  return head;
}

function kubernetesName(value: string): string {
  return value.toLowerCase();
}
