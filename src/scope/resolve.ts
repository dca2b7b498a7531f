import pLimit from 'p-limit';
import type { AwsClients } from '../clients/aws.ts';
import type { CallLanes } from '../clients/limit.ts';
import type { Shard } from '../config/input.ts';
import type { AuditConfig } from '../config/schema.ts';
import { budgetError, failureAt, stoppedByBudget } from '../model/audit-error.ts';
import type { AuditError } from '../model/inventory.ts';
import type { Caller } from './caller.ts';
import { assumedRoleCredentials, auditSessionName } from './credentials.ts';
import { type Membership, membershipOf, organizationAccounts } from './organization.ts';
import { organizationUnitPaths } from './organization-units.ts';
import { enabledRegions } from './regions.ts';
import { splitOf } from './split.ts';
import type { AccountsInScope, AccountTarget, Scope } from './types.ts';

export interface ScopeOptions {
  clients: AwsClients;
  caller: Caller;
  homeRegion: string;
  startedAt: Date;
  /** Each AWS call goes through its account's lane (src/clients/limit.ts). */
  calls: CallLanes;
  signal?: AbortSignal;
  /**
   * Accounts resolved and handed to `visit` at once. Bounds what is held for accounts in progress (their SDK
   * clients, their partial inventory). Past its first two calls (AssumeRole, then ListRegions) an account keeps
   * a lane per service and region busy, dozens of calls, so half the call concurrency keeps every call slot fed
   * as well as more accounts would, and holds less (docs/performance.md, "Accounts in flight").
   */
  accountsInFlight: number;
  onAccount?: (done: number, total: number) => void;
  /**
   * The accounts in scope as a fan-out plan listed them: taken as they are, the organization is not listed again
   * (only the membership of a configured account list is still checked, account by account).
   */
  planned?: AccountsInScope;
}

/**
 * Accounts × enabled regions, each account with the credentials to read it, streamed: each account goes to
 * `visit` as soon as it is resolved, so its inventory overlaps the resolution of the next accounts instead of
 * waiting for the whole organization. Whatever cannot be reached (AssumeRole denied, regions unlistable, a
 * configured region not enabled, the time budget) is named in `errors`, never dropped.
 */
export async function resolveScope(
  config: AuditConfig,
  options: ScopeOptions,
  visit: (target: AccountTarget) => Promise<void>,
): Promise<Scope> {
  const { caller } = options;
  // The organization's reads and every AssumeRole are the caller's own calls.
  const organizationCalls = options.calls.lane(caller.accountId, 'organizations');
  const errors: AuditError[] = [];
  const targets: AccountTarget[] = [];
  const listed = options.planned ?? (await listedAccounts(config, options, errors));
  const accountNames: Record<string, string> = { ...listed.names };
  const allAccountIds = listed.ids;
  const accountIds = config.shard ? shardOf(allAccountIds, config.shard) : allAccountIds;
  const split = config.shard ? splitOf(allAccountIds, config.shard.count, config) : undefined;
  // Read alongside the accounts: only the checks and the report need it. A shard keeps every account's path and
  // name, as the whole audit does: a cross-account finding names the OU of an account another shard audits.
  const units = options.planned ? Promise.resolve(options.planned) : unitsOf(config, options, allAccountIds);
  const sessionName = auditSessionName(options.startedAt);
  const regionsInScope = new Set<string>(config.regions === 'all' ? [] : config.regions);
  const inFlight = pLimit(Math.max(1, options.accountsInFlight));
  let done = 0;
  // Once the organization says it cannot answer (not an organization, no right to read it), nobody asks again.
  let membershipKnowable = config.accounts.kind === 'list';
  const outsideOrganization = async (accountId: string): Promise<boolean> => {
    if (!membershipKnowable || accountId === caller.accountId) return false;
    let membership: Membership;
    try {
      membership = await membershipOf(options.clients, caller.partition, accountId, organizationCalls);
    } catch (error) {
      // Not known to be a member: not entered, and named.
      errors.push(failureAt(accountId, null, 'organization-membership', error));
      return true;
    }
    if (membership.member === 'unknown') membershipKnowable = false;
    if (membership.member === true && membership.name) accountNames[accountId] = membership.name;
    if (membership.member !== false) return false;
    errors.push({
      accountId,
      region: null,
      stage: 'organization-membership',
      code: 'AccountNotInOrganization',
      message: `account ${accountId} is not in the organization of ${caller.accountId}: it was not assumed into`,
    });
    return true;
  };

  const resolveOne = async (accountId: string): Promise<AccountTarget | undefined> => {
    if (options.signal?.aborted) {
      errors.push(budgetError(accountId));
      return undefined;
    }
    if (await outsideOrganization(accountId)) return undefined;
    const credentials =
      accountId === caller.accountId
        ? undefined
        : assumedRoleCredentials(
            options.clients,
            {
              partition: caller.partition,
              accountId,
              roleName: config.roleName,
              externalId: config.externalId,
              homeRegion: options.homeRegion,
              sessionName,
            },
            { call: options.calls.lane(caller.accountId, 'sts', options.homeRegion) },
          );
    if (credentials) {
      try {
        await credentials();
      } catch (error) {
        errors.push(failureAt(accountId, null, 'assume-role', error));
        return undefined;
      }
    }
    const regions = await regionsFor(config, accountId, credentials, options, errors);
    for (const region of regions) regionsInScope.add(region);
    return { accountId, partition: caller.partition, credentials, regions };
  };

  await Promise.all(
    accountIds.map((accountId) =>
      inFlight(async () => {
        let target: AccountTarget | undefined;
        try {
          target = await resolveOne(accountId);
        } finally {
          options.onAccount?.(++done, accountIds.length);
        }
        if (!target) return;
        targets.push({ accountId: target.accountId, partition: target.partition, regions: target.regions });
        await visit(target);
      }),
    ),
  );
  return {
    callerAccountId: caller.accountId,
    partition: caller.partition,
    accountsInScope: accountIds,
    regionsInScope: [...regionsInScope].sort(),
    targets: targets.sort((a, b) => a.accountId.localeCompare(b.accountId)),
    accountNames,
    ...ouPathsOf(await units),
    errors,
    ...(split ? { split } : {}),
  };
}

/** The shard's contiguous run of the accounts, in id order: shard I of N takes the I-th of N near-equal runs. */
export function shardOf(accountIds: readonly string[], shard: Shard): string[] {
  const sorted = [...accountIds].sort();
  const size = Math.ceil(sorted.length / shard.count);
  return sorted.slice((shard.index - 1) * size, shard.index * size);
}

function describeError(error: unknown): string {
  const name = (error as { name?: string }).name ?? 'Error';
  return `${name}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The accounts an audit of `config` covers, listed as resolveScope lists them (the organization's, narrowed by the
 * OU and account filters, or the configured list), with their names and OU paths: what the fan-out's plan step
 * lists once and splits into shards.
 */
export async function accountsInScope(
  config: AuditConfig,
  options: Pick<ScopeOptions, 'clients' | 'caller' | 'calls'>,
): Promise<AccountsInScope> {
  const errors: AuditError[] = [];
  const listed = await listedAccounts(config, options, errors);
  const first = errors[0];
  if (first) throw new Error(`${first.stage}: ${first.message}`);
  return { ...listed, ...ouPathsOf(await unitsOf(config, options, listed.ids)) };
}

async function listedAccounts(
  config: AuditConfig,
  options: Pick<ScopeOptions, 'clients' | 'caller' | 'calls'>,
  errors: AuditError[],
): Promise<Pick<AccountsInScope, 'ids' | 'names'>> {
  const names: Record<string, string> = {};
  const ids = await accountsOf(config, options, errors, names);
  return { ids, names };
}

/**
 * The OU path of every account of an organization audit. Unreadable, it costs the OU-aware severity of
 * trust-cross-account, which says so in its evidence.
 */
function unitsOf(
  config: AuditConfig,
  options: Pick<ScopeOptions, 'clients' | 'caller' | 'calls'>,
  accountIds: readonly string[],
): Promise<Pick<AccountsInScope, 'ouPaths' | 'ouPathsError'>> {
  if (config.accounts.kind !== 'org' || accountIds.length === 0) return Promise.resolve({ ouPaths: {} });
  const { caller } = options;
  return organizationUnitPaths(
    options.clients.organizations(caller.partition),
    accountIds,
    options.calls.lane(caller.accountId, 'organizations'),
  ).then(
    ({ paths }) => ({ ouPaths: paths }),
    (error: unknown) => ({ ouPaths: {}, ouPathsError: describeError(error) }),
  );
}

function ouPathsOf(units: Pick<AccountsInScope, 'ouPaths' | 'ouPathsError'>) {
  return { ouPaths: units.ouPaths, ...(units.ouPathsError ? { ouPathsError: units.ouPathsError } : {}) };
}

async function accountsOf(
  config: AuditConfig,
  options: Pick<ScopeOptions, 'clients' | 'caller' | 'calls'>,
  errors: AuditError[],
  names: Record<string, string>,
): Promise<string[]> {
  switch (config.accounts.kind) {
    case 'current':
      return [options.caller.accountId];
    case 'list':
      return config.accounts.ids;
    case 'org':
      try {
        const found = await organizationAccounts(
          options.clients,
          options.caller.partition,
          config.accounts,
          options.calls.lane(options.caller.accountId, 'organizations'),
        );
        Object.assign(names, found.names);
        return found.ids;
      } catch (error) {
        // Out of time before the organization was listed: no account is known, so the stage is named instead.
        // Any other failure to list it (access denied, not an organization) fails the audit, as it always has.
        if (!stoppedByBudget(error)) throw error;
        errors.push(failureAt(null, null, 'organization', error));
        return [];
      }
  }
}

async function regionsFor(
  config: AuditConfig,
  accountId: string,
  credentials: AccountTarget['credentials'],
  options: ScopeOptions,
  errors: AuditError[],
): Promise<string[]> {
  let enabled: string[];
  try {
    enabled = await enabledRegions(
      options.clients,
      options.caller.partition,
      options.homeRegion,
      accountId,
      credentials,
      options.calls,
    );
  } catch (error) {
    errors.push(failureAt(accountId, null, 'list-regions', error));
    if (stoppedByBudget(error)) return [];
    // Without the enabled list, a configured list is still worth trying: a disabled one fails and is reported.
    return config.regions === 'all' ? [] : config.regions;
  }
  if (config.regions === 'all') return enabled;
  const enabledSet = new Set(enabled);
  for (const region of config.regions) {
    if (!enabledSet.has(region)) {
      errors.push({
        accountId,
        region,
        stage: 'regions',
        code: 'RegionNotEnabled',
        message: `region ${region} is not enabled for account ${accountId} (opt-in region or misspelt)`,
      });
    }
  }
  return config.regions.filter((region) => enabledSet.has(region));
}
