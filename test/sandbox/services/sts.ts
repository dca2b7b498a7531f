// STS (awsQuery): who am I, and AssumeRole into another world account with temporary keys bound to it.

import { randomBytes } from 'node:crypto';
import { ApiError } from '../errors.ts';
import { hashId } from '../ids.ts';
import type { QueryParams } from '../protocols/query.ts';
import { el, raw } from '../protocols/xml.ts';
import type { AccountState, Identity } from '../state.ts';
import type { CallContext, QueryService } from './types.ts';

const ROLE_ARN = /^arn:([a-z-]+):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function validation(message: string): ApiError {
  return new ApiError('ValidationError', message, 400);
}

function issueCredentials(
  ctx: CallContext,
  target: AccountState,
  roleName: string,
  sessionName: string,
  seconds: number,
): Identity {
  const { state } = ctx;
  const accessKeyId = `ASIA${String(state.identities.size).padStart(16, '0')}`;
  const role = target.roles.find((r) => r.name === roleName);
  const roleId = role?.roleId ?? `AROA${hashId(`role/${target.id}/${roleName}`, 17)}`;
  const identity: Identity = {
    accessKeyId,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(48).toString('base64'),
    expiresAt: Date.now() + seconds * 1000,
    account: target,
    arn: `arn:${state.partition}:sts::${target.id}:assumed-role/${roleName}/${sessionName}`,
    userId: `${roleId}:${sessionName}`,
  };
  state.identities.set(accessKeyId, identity);
  return identity;
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
    const allowed =
      partition === ctx.state.partition &&
      target !== undefined &&
      target.world.status === 'ACTIVE' &&
      !target.world.denyAssumeRole &&
      target.assumableRoles.has(roleName) &&
      (target.world.externalId === undefined || target.world.externalId === externalId);
    if (!allowed || target === undefined) {
      throw new ApiError(
        'AccessDenied',
        `User: ${ctx.identity.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        403,
      );
    }
    const issued = issueCredentials(ctx, target, roleName, sessionName, seconds);
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
