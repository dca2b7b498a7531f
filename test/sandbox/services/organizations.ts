// Organizations (awsJson1_1, global): the organization the world declares, its OU tree derived from the
// accounts' `ou` paths. Listing needs the management account; members may only describe the organization.

import { ApiError } from '../errors.ts';
import { hashHex } from '../ids.ts';
import { pageOffset, paginate } from '../paging.ts';
import type { JsonObject } from '../protocols/json.ts';
import { type AccountState, organizationIdOf, ouPathOf, type SandboxState } from '../state.ts';
import type { CallContext, JsonService } from './types.ts';

interface OuNode {
  id: string;
  arn: string;
  name: string;
  childOus: OuNode[];
  accounts: AccountState[];
}

interface OrgIndex {
  id: string;
  arn: string;
  management: AccountState;
  featureSet: string;
  root: OuNode;
  /** Root and OUs by id. */
  parents: Map<string, OuNode>;
  accounts: AccountState[];
}

const indexes = new WeakMap<SandboxState, OrgIndex | null>();

function buildIndex(state: SandboxState): OrgIndex | null {
  const org = state.world.organization;
  if (!org) return null;
  const management = state.accounts.get(org.managementAccount);
  if (!management) return null;
  const p = state.partition;
  const id = organizationIdOf(state.world) ?? '';
  const rootSuffix = hashHex(`root/${id}`, 4);
  const rootId = `r-${rootSuffix}`;
  const root: OuNode = {
    id: rootId,
    arn: `arn:${p}:organizations::${management.id}:root/${id}/${rootId}`,
    name: 'Root',
    childOus: [],
    accounts: [],
  };
  const parents = new Map<string, OuNode>([[rootId, root]]);
  const byPath = new Map<string, OuNode>([['', root]]);
  const ensure = (path: string[]): OuNode => {
    let node = root;
    for (let depth = 1; depth <= path.length; depth++) {
      const key = path.slice(0, depth).join('/');
      let child = byPath.get(key);
      if (!child) {
        const ouId = `ou-${rootSuffix}-${hashHex(`ou/${id}/${key}`, 8)}`;
        child = {
          id: ouId,
          arn: `arn:${p}:organizations::${management.id}:ou/${id}/${ouId}`,
          name: path[depth - 1] ?? '',
          childOus: [],
          accounts: [],
        };
        byPath.set(key, child);
        parents.set(ouId, child);
        node.childOus.push(child);
      }
      node = child;
    }
    return node;
  };
  for (const ou of org.ous) ensure(ouPathOf(ou));
  const accounts = [...state.accounts.values()];
  for (const account of accounts) ensure(account.ouPath).accounts.push(account);
  return {
    id,
    arn: `arn:${p}:organizations::${management.id}:organization/${id}`,
    management,
    featureSet: org.featureSet,
    root,
    parents,
    accounts,
  };
}

function orgOf(ctx: CallContext, managementOnly: boolean): OrgIndex {
  let index = indexes.get(ctx.state);
  if (index === undefined) {
    index = buildIndex(ctx.state);
    indexes.set(ctx.state, index);
  }
  if (index === null) {
    throw new ApiError(
      'AWSOrganizationsNotInUseException',
      'Your account is not a member of an organization.',
      400,
    );
  }
  if (managementOnly && ctx.account !== index.management) {
    throw new ApiError('AccessDeniedException', "You don't have permissions to access this resource.", 403);
  }
  return index;
}

function pageSize(input: JsonObject): number {
  const max = input.MaxResults ?? 20;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 20) {
    throw new ApiError('InvalidInputException', 'You specified an invalid value for MaxResults.', 400, {
      fields: { Reason: 'MAX_VALUE_EXCEEDED' },
    });
  }
  return max;
}

function page<T>(
  input: JsonObject,
  all: readonly T[],
  scope: string,
): { items: T[]; next: string | undefined } {
  const size = pageSize(input);
  const token = input.NextToken;
  const offset = token === undefined ? 0 : pageOffset(scope, String(token));
  if (offset === undefined) {
    throw new ApiError('InvalidInputException', 'The NextToken is not valid.', 400, {
      fields: { Reason: 'INVALID_PAGINATION_TOKEN' },
    });
  }
  return paginate(all, scope, offset, size);
}

function accountJson(org: OrgIndex, account: AccountState): JsonObject {
  const status = account.world.status;
  return {
    Id: account.id,
    Arn: `arn:${org.arn.split(':')[1]}:organizations::${org.management.id}:account/${org.id}/${account.id}`,
    Email: account.email,
    Name: account.name,
    Status: status,
    State: status,
    JoinedMethod: account === org.management ? 'INVITED' : 'CREATED',
    JoinedTimestamp: Date.parse('2023-03-01T12:00:00Z') / 1000,
  };
}

function parentOf(org: OrgIndex, input: JsonObject): OuNode {
  const parentId = input.ParentId;
  if (typeof parentId !== 'string') {
    throw new ApiError('InvalidInputException', 'You must specify a ParentId.', 400, {
      fields: { Reason: 'INVALID_INPUT' },
    });
  }
  const node = org.parents.get(parentId);
  if (!node)
    throw new ApiError(
      'ParentNotFoundException',
      "We can't find a root or OU with the ParentId that you specified.",
      404,
    );
  return node;
}

export const organizations: JsonService = {
  name: 'organizations',
  signingName: 'organizations',
  protocol: 'json',
  version: '1.1',
  targetPrefix: 'AWSOrganizationsV20161128',
  queryCompatible: false,
  global: true,
  operations: {
    DescribeOrganization(ctx) {
      const org = orgOf(ctx, false);
      return {
        Organization: {
          Id: org.id,
          Arn: org.arn,
          FeatureSet: org.featureSet,
          MasterAccountArn: accountJson(org, org.management).Arn,
          MasterAccountId: org.management.id,
          MasterAccountEmail: org.management.email,
          AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
        },
      };
    },
    DescribeAccount(ctx, input) {
      const org = orgOf(ctx, true);
      const account = org.accounts.find((a) => a.id === input.AccountId);
      if (!account)
        throw new ApiError('AccountNotFoundException', "You specified an account that doesn't exist.", 400);
      return { Account: accountJson(org, account) };
    },
    ListAccounts(ctx, input) {
      const org = orgOf(ctx, true);
      const { items, next } = page(input, org.accounts, `org:ListAccounts:${org.id}`);
      return { Accounts: items.map((a) => accountJson(org, a)), NextToken: next };
    },
    ListRoots(ctx, input) {
      const org = orgOf(ctx, true);
      const { items, next } = page(input, [org.root], `org:ListRoots:${org.id}`);
      return {
        Roots: items.map((r) => ({ Id: r.id, Arn: r.arn, Name: r.name, PolicyTypes: [] })),
        NextToken: next,
      };
    },
    ListOrganizationalUnitsForParent(ctx, input) {
      const org = orgOf(ctx, true);
      const parent = parentOf(org, input);
      const { items, next } = page(input, parent.childOus, `org:ListOUs:${parent.id}`);
      return {
        OrganizationalUnits: items.map((o) => ({ Id: o.id, Arn: o.arn, Name: o.name })),
        NextToken: next,
      };
    },
    ListAccountsForParent(ctx, input) {
      const org = orgOf(ctx, true);
      const parent = parentOf(org, input);
      const { items, next } = page(input, parent.accounts, `org:ListAccountsForParent:${parent.id}`);
      return { Accounts: items.map((a) => accountJson(org, a)), NextToken: next };
    },
  },
};
