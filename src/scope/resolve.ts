import type { AwsClients, CallLimiter } from '../clients/aws.ts';
import type { AuditConfig } from '../config/schema.ts';
import { auditError } from '../inventory/audit-error.ts';
import type { AuditError } from '../inventory/types.ts';
import type { Caller } from './caller.ts';
import { assumedRoleCredentials, auditSessionName } from './credentials.ts';
import { organizationAccounts } from './organization.ts';
import { enabledRegions } from './regions.ts';
import type { AccountTarget, Scope } from './types.ts';

export interface ScopeOptions {
  clients: AwsClients;
  caller: Caller;
  homeRegion: string;
  startedAt: Date;
  call: CallLimiter;
  signal?: AbortSignal;
  onAccount?: (done: number, total: number) => void;
}

/**
 * Accounts × enabled regions, each account with the credentials to read it. Whatever cannot be reached
 * (AssumeRole denied, regions unlistable, a configured region not enabled) is named in `errors`, never dropped.
 */
export async function resolveScope(config: AuditConfig, options: ScopeOptions): Promise<Scope> {
  const { clients, caller, homeRegion } = options;
  const errors: AuditError[] = [];
  const accountIds = await accountsOf(config, options);
  const sessionName = auditSessionName(options.startedAt);
  let done = 0;

  const resolveOne = async (accountId: string): Promise<AccountTarget | undefined> => {
    try {
      if (options.signal?.aborted) {
        errors.push(budgetError(accountId));
        return undefined;
      }
      const credentials =
        accountId === caller.accountId
          ? undefined
          : assumedRoleCredentials(clients, {
              partition: caller.partition,
              accountId,
              roleName: config.roleName,
              externalId: config.externalId,
              homeRegion,
              sessionName,
            });
      if (credentials) {
        try {
          await credentials();
        } catch (error) {
          errors.push(auditError(accountId, null, 'assume-role', error));
          return undefined;
        }
      }
      const regions = await regionsFor(config, accountId, credentials, options, errors);
      return { accountId, partition: caller.partition, credentials, regions };
    } finally {
      options.onAccount?.(++done, accountIds.length);
    }
  };

  const targets = (await Promise.all(accountIds.map(resolveOne))).filter((t): t is AccountTarget => !!t);
  const regionsInScope = new Set<string>(config.regions === 'all' ? [] : config.regions);
  for (const target of targets) for (const region of target.regions) regionsInScope.add(region);
  return {
    callerAccountId: caller.accountId,
    partition: caller.partition,
    accountsInScope: accountIds,
    regionsInScope: [...regionsInScope].sort(),
    targets,
    errors,
  };
}

async function accountsOf(config: AuditConfig, options: ScopeOptions): Promise<string[]> {
  switch (config.accounts.kind) {
    case 'current':
      return [options.caller.accountId];
    case 'list':
      return config.accounts.ids;
    case 'org':
      return organizationAccounts(options.clients, options.caller.partition, config.accounts, options.call);
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
      credentials,
      options.call,
    );
  } catch (error) {
    errors.push(auditError(accountId, null, 'list-regions', error));
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

export function budgetError(accountId: string | null, region: string | null = null): AuditError {
  return {
    accountId,
    region,
    stage: 'time budget',
    code: 'TimeBudgetExceeded',
    message: 'not started: the audit stopped starting new work before its deadline',
  };
}
