// STS (awsQuery): who am I, and AssumeRole into another world account with temporary keys bound to it.

import { randomBytes } from 'node:crypto';
import { ApiError } from '../errors.ts';
import {
  evaluateIdentityPolicy,
  evaluateTrustPolicy,
  type PolicyRequest,
  UnmodelledPolicyError,
} from '../iam-policy.ts';
import type { QueryParams } from '../protocols/query.ts';
import { el, raw } from '../protocols/xml.ts';
import type { AccountState, Identity, RoleState, SandboxState } from '../state.ts';
import type { CallContext, QueryService } from './types.ts';

const ROLE_ARN = /^arn:([a-z-]+):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function validation(message: string): ApiError {
  return new ApiError('ValidationError', message, 400);
}

/** Temporary keys of a session of `role`, bound to its account; its identity policy goes with them. */
export function issueRoleSession(
  state: SandboxState,
  target: AccountState,
  role: RoleState,
  sessionName: string,
  seconds: number,
): Identity {
  const accessKeyId = `ASIA${String(state.identities.size).padStart(16, '0')}`;
  const identity: Identity = {
    accessKeyId,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(48).toString('base64'),
    expiresAt: Date.now() + seconds * 1000,
    account: target,
    arn: `arn:${state.partition}:sts::${target.id}:assumed-role/${role.name}/${sessionName}`,
    userId: `${role.roleId}:${sessionName}`,
    roleArn: role.arn,
    policy: role.permissions,
  };
  state.identities.set(accessKeyId, identity);
  return identity;
}

/** The role `name` of the account, as IAM finds it: case-insensitively. */
export function findRole(account: AccountState, name: string): RoleState | undefined {
  const wanted = name.toLowerCase();
  return account.roles.find((r) => r.name.toLowerCase() === wanted);
}

/** A policy the sandbox cannot judge fails the call at once, naming what is missing, rather than guessing. */
function unmodelledAsValidation<T>(evaluate: () => T): T {
  try {
    return evaluate();
  } catch (error) {
    if (error instanceof UnmodelledPolicyError) throw validation(`sandbox: ${error.message}`);
    throw error;
  }
}

/**
 * Why AWS refuses this caller the role, or undefined when it may assume it: the role's trust must allow the caller
 * and no statement deny it; the caller's own policy must allow the call too, unless the trust names the caller's
 * ARN in the role's own account. `refused`: the trust does not admit the caller (AWS says no more).
 */
function assumeRoleRefusal(
  ctx: CallContext,
  target: AccountState,
  role: RoleState,
  externalId: string | undefined,
): string | undefined {
  const { identity } = ctx;
  const caller = identity.account;
  const request: PolicyRequest = {
    principal: { accountId: caller.id, arn: identity.arn, roleArn: identity.roleArn },
    action: 'sts:AssumeRole',
    resource: role.arn,
    context: {
      'sts:ExternalId': externalId,
      'aws:PrincipalArn': identity.roleArn ?? identity.arn,
      'aws:PrincipalAccount': caller.id,
      'aws:PrincipalOrgID': caller.organizationId,
      'aws:ResourceAccount': target.id,
      'aws:ResourceOrgID': target.organizationId,
    },
  };
  const trust = unmodelledAsValidation(() => evaluateTrustPolicy(role.trust, request));
  if (trust.verdict !== 'allow') return 'refused';
  if (trust.match === 'arn' && caller.id === target.id) return undefined;
  if (identity.policy === undefined) return undefined;
  const own = unmodelledAsValidation(() => evaluateIdentityPolicy(identity.policy, request));
  if (own === 'deny') return 'with an explicit deny in an identity-based policy';
  if (own === 'none') return 'because no identity-based policy allows the sts:AssumeRole action';
  return undefined;
}

function assumeRole(ctx: CallContext, params: QueryParams): string {
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  const externalId = params.get('ExternalId');
  ctx.detail = { roleArn, roleSessionName: sessionName, externalId };
  const record = (outcome: string) =>
    ctx.log.assumeRoles.push({
      callerAccount: ctx.account.id,
      roleArn: roleArn ?? '',
      roleSessionName: sessionName,
      externalId,
      outcome,
    });
  try {
    if (roleArn === undefined) {
      throw validation(
        "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
      );
    }
    if (sessionName === undefined || !SESSION_NAME.test(sessionName)) {
      throw validation(
        `1 validation error detected: Value '${sessionName ?? 'null'}' at 'roleSessionName' failed to satisfy constraint: ` +
          'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
      );
    }
    const seconds = Number(params.get('DurationSeconds') ?? 3600);
    if (!Number.isInteger(seconds) || seconds < 900 || seconds > 43200) {
      throw validation(
        `1 validation error detected: Value '${seconds}' at 'durationSeconds' failed to satisfy constraint`,
      );
    }
    const match = ROLE_ARN.exec(roleArn);
    if (!match) throw validation(`${roleArn} is invalid`);
    const [, partition, accountId = '', roleName = ''] = match;
    const target = ctx.state.accounts.get(accountId);
    const role = target && findRole(target, roleName);
    const refusal =
      partition !== ctx.state.partition ||
      target === undefined ||
      role === undefined ||
      target.world.status !== 'ACTIVE' ||
      target.world.denyAssumeRole
        ? 'refused'
        : assumeRoleRefusal(ctx, target, role, externalId);
    if (refusal !== undefined || target === undefined || role === undefined) {
      throw new ApiError(
        'AccessDenied',
        `User: ${ctx.identity.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}` +
          (refusal === 'refused' || refusal === undefined ? '' : ` ${refusal}`),
        403,
      );
    }
    const issued = issueRoleSession(ctx.state, target, role, sessionName, seconds);
    record('ok');
    return (
      raw(
        'Credentials',
        el('AccessKeyId', issued.accessKeyId) +
          el('SecretAccessKey', issued.secretAccessKey) +
          el('SessionToken', issued.sessionToken) +
          el('Expiration', new Date(issued.expiresAt ?? 0).toISOString()),
      ) + raw('AssumedRoleUser', el('AssumedRoleId', issued.userId) + el('Arn', issued.arn))
    );
  } catch (error) {
    record(error instanceof ApiError ? error.code : 'InternalError');
    throw error;
  }
}

export const sts: QueryService = {
  name: 'sts',
  signingName: 'sts',
  protocol: 'query',
  global: false,
  xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
  operations: {
    GetCallerIdentity: (ctx) =>
      el('UserId', ctx.identity.userId) + el('Account', ctx.account.id) + el('Arn', ctx.identity.arn),
    AssumeRole: assumeRole,
  },
};
