// IAM (awsQuery, global): the OIDC providers and roles of the calling account.

import { ApiError } from '../errors.ts';
import { pageOffset, paginate } from '../paging.ts';
import type { QueryParams } from '../protocols/query.ts';
import { el, esc, list } from '../protocols/xml.ts';
import type { RoleState } from '../state.ts';
import type { CallContext, QueryService } from './types.ts';

function tagsXml(tags: Record<string, string> | undefined): string {
  if (!tags) return '';
  return list('Tags', Object.entries(tags), ([k, v]) => el('Key', k) + el('Value', v));
}

function getProvider(ctx: CallContext, params: QueryParams): string {
  const arn = params.get('OpenIDConnectProviderArn');
  if (arn === undefined) {
    throw new ApiError(
      'ValidationError',
      "1 validation error detected: Value null at 'openIDConnectProviderArn' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!/^arn:[a-z-]+:iam::\d{12}:oidc-provider\/.+$/.test(arn))
    throw new ApiError('InvalidInput', `ARN ${arn} is not valid.`);
  const provider = ctx.account.providerByArn.get(arn);
  if (!provider) throw new ApiError('NoSuchEntity', `OpenIDConnect Provider not found for arn ${arn}`, 404);
  return (
    el('Url', provider.url) +
    list('ClientIDList', provider.world.clientIds, esc) +
    list('ThumbprintList', provider.thumbprints, esc) +
    el('CreateDate', provider.world.createdAt ?? '2024-01-15T10:00:00Z') +
    tagsXml(provider.world.tags)
  );
}

// AWS returns the trust policy URL-encoded (encodeURIComponent of the JSON text); the SDK does not decode it.
function roleXml(role: RoleState): string {
  const policy = typeof role.trust === 'string' ? role.trust : JSON.stringify(role.trust);
  return (
    el('Path', role.path) +
    el('RoleName', role.name) +
    el('RoleId', role.roleId) +
    el('Arn', role.arn) +
    el('CreateDate', role.createDate) +
    el('AssumeRolePolicyDocument', encodeURIComponent(policy)) +
    el('Description', role.description) +
    el('MaxSessionDuration', 3600)
  );
}

function listRoles(ctx: CallContext, params: QueryParams): string {
  const maxItems = Number(params.get('MaxItems') ?? 100);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
    throw new ApiError(
      'ValidationError',
      `1 validation error detected: Value '${params.get('MaxItems')}' at 'maxItems' failed to satisfy constraint: ` +
        'Member must have value less than or equal to 1000',
    );
  }
  ctx.detail = { maxItems };
  const prefix = params.get('PathPrefix');
  const roles = prefix ? ctx.account.roles.filter((r) => r.path.startsWith(prefix)) : ctx.account.roles;
  const scope = `iam:ListRoles:${ctx.account.id}:${prefix ?? ''}`;
  const marker = params.get('Marker');
  const offset = marker === undefined ? 0 : pageOffset(scope, marker);
  if (offset === undefined) throw new ApiError('ValidationError', 'Invalid Marker.');
  const page = paginate(roles, scope, offset, maxItems);
  return (
    list('Roles', page.items, roleXml) +
    el('IsTruncated', page.next !== undefined) +
    (page.next === undefined ? '' : el('Marker', page.next))
  );
}

export const iam: QueryService = {
  name: 'iam',
  signingName: 'iam',
  protocol: 'query',
  global: true,
  xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/',
  operations: {
    ListOpenIDConnectProviders: (ctx) =>
      list('OpenIDConnectProviderList', ctx.account.providers, (p) => el('Arn', p.arn)),
    GetOpenIDConnectProvider: getProvider,
    ListRoles: listRoles,
  },
};
