// Account (restJson1, global): ListRegions with opt-in status, for the caller's account or, from the
// organization's management account, for a member account.

import { ApiError } from '../errors.ts';
import { pageOffset, paginate } from '../paging.ts';
import { allRegions, isOptInRegion } from '../regions.ts';
import type { AccountState } from '../state.ts';
import type { CallContext, RestJsonService, RestRequest } from './types.ts';

const STATUSES = ['ENABLED', 'ENABLING', 'DISABLING', 'DISABLED', 'ENABLED_BY_DEFAULT'];

function validation(message: string, field: string): ApiError {
  return new ApiError('ValidationException', message, 400, {
    fields: { reason: 'invalidRegionOptTarget', fieldList: [{ name: field, message }] },
  });
}

function targetAccount(ctx: CallContext, accountId: unknown): AccountState {
  if (accountId === undefined || accountId === ctx.account.id) return ctx.account;
  const org = ctx.state.world.organization;
  const target = typeof accountId === 'string' ? ctx.state.accounts.get(accountId) : undefined;
  if (!org || org.managementAccount !== ctx.account.id || !target) {
    throw new ApiError(
      'AccessDeniedException',
      `User: ${ctx.identity.arn} is not authorized to perform: account:ListRegions on resource: account ${String(accountId)}`,
      403,
    );
  }
  return target;
}

function regionStatus(ctx: CallContext, account: AccountState, region: string): string {
  if (!account.enabledRegions.has(region)) return 'DISABLED';
  return isOptInRegion(ctx.state.partition, region) ? 'ENABLED' : 'ENABLED_BY_DEFAULT';
}

function listRegions(ctx: CallContext, request: RestRequest): unknown {
  const { AccountId, MaxResults, NextToken, RegionOptStatusContains } = request.body;
  const max = MaxResults === undefined ? 20 : MaxResults;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 50) {
    throw validation('MaxResults must be between 1 and 50', 'MaxResults');
  }
  const filter = RegionOptStatusContains;
  if (filter !== undefined && (!Array.isArray(filter) || filter.some((s) => !STATUSES.includes(String(s))))) {
    throw validation('RegionOptStatusContains has an invalid value', 'RegionOptStatusContains');
  }
  const account = targetAccount(ctx, AccountId);
  const regions = allRegions(ctx.state.partition)
    .map((RegionName) => ({ RegionName, RegionOptStatus: regionStatus(ctx, account, RegionName) }))
    .filter((r) => !filter || (filter as string[]).includes(r.RegionOptStatus))
    .sort((a, b) => a.RegionName.localeCompare(b.RegionName));
  const scope = `account:ListRegions:${account.id}:${JSON.stringify(filter ?? null)}`;
  const offset = NextToken === undefined ? 0 : pageOffset(scope, String(NextToken));
  if (offset === undefined) throw validation('NextToken is invalid', 'NextToken');
  const page = paginate(regions, scope, offset, max);
  return { Regions: page.items, NextToken: page.next };
}

export const account: RestJsonService = {
  name: 'account',
  signingName: 'account',
  protocol: 'restJson',
  global: true,
  routes: [{ method: 'POST', pattern: '/listRegions', operation: 'ListRegions' }],
  operations: { ListRegions: listRegions },
};
