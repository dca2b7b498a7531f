// EC2 (ec2Query): DescribeRegions only, the auditor's fallback when account:ListRegions is denied.

import { ApiError } from '../errors.ts';
import { listParam, type QueryParams } from '../protocols/query.ts';
import { el, list } from '../protocols/xml.ts';
import { allRegions, isOptInRegion } from '../regions.ts';
import { regionEndpoint } from '../state.ts';
import type { CallContext, QueryService } from './types.ts';

function describeRegions(ctx: CallContext, params: QueryParams): string {
  const all = params.get('AllRegions') === 'true';
  const names = listParam(params, 'RegionName');
  const { partition } = ctx.state;
  const known = allRegions(partition);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0)
    throw new ApiError('InvalidParameterValue', `Invalid region names: ${unknown.join(', ')}`);
  const regions = known
    .filter((r) => names.length === 0 || names.includes(r))
    .map((r) => {
      const enabled = ctx.account.enabledRegions.has(r);
      const status = !isOptInRegion(partition, r)
        ? 'opt-in-not-required'
        : enabled
          ? 'opted-in'
          : 'not-opted-in';
      return { name: r, enabled, status };
    })
    .filter((r) => all || r.enabled);
  return list(
    'regionInfo',
    regions,
    (r) =>
      el('regionName', r.name) +
      el('regionEndpoint', regionEndpoint(partition, 'ec2', r.name)) +
      el('optInStatus', r.status),
    'item',
  );
}

export const ec2: QueryService = {
  name: 'ec2',
  signingName: 'ec2',
  protocol: 'ec2',
  global: false,
  xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  operations: { DescribeRegions: describeRegions },
};
