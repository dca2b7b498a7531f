import type { Trigger } from '../model/finding.ts';
import { parseConnectTo } from './connect-to.ts';
import { ConfigError } from './errors.ts';
import type { ConfigInput, DefaultedInput } from './options.ts';
import { type AccountSelection, type AuditConfig, DEFAULTS } from './schema.ts';

/** Later inputs win field by field; an undefined field never overrides. */
export function mergeInputs(...inputs: ConfigInput[]): ConfigInput {
  const merged: Record<string, unknown> = {};
  for (const input of inputs) {
    for (const [key, value] of Object.entries(input)) if (value !== undefined) merged[key] = value;
  }
  return merged as ConfigInput;
}

export function resolveConfig(trigger: Trigger, input: ConfigInput): AuditConfig {
  // Every field with a default is set from here on (DEFAULTS has them all); the ones below derive from the input.
  const {
    accounts: _accounts,
    includeOus: _includeOus,
    excludeOus: _excludeOus,
    excludeAccounts: _excludeAccounts,
    regions,
    connectTo,
    publish,
    ...settings
  } = mergeInputs(DEFAULTS, input) as DefaultedInput;
  return {
    ...settings,
    trigger,
    accounts: accountSelection(input),
    // Each region and account once, whatever the sources repeat: a region listed twice was audited twice.
    regions: regions === undefined || regions === 'all' ? 'all' : unique(regions),
    connectTo: (connectTo ?? []).map(parseConnectTo),
    publish: publish ?? trigger !== 'cli',
  };
}

function accountSelection(input: ConfigInput): AccountSelection {
  const orgFilters = [input.includeOus, input.excludeOus, input.excludeAccounts].some((f) => f !== undefined);
  if (input.accounts === 'org') {
    return {
      kind: 'org',
      excludeAccounts: unique(input.excludeAccounts ?? []),
      includeOus: unique(input.includeOus ?? []),
      excludeOus: unique(input.excludeOus ?? []),
    };
  }
  if (orgFilters) {
    throw new ConfigError(
      'accounts: OU and account exclusions apply to --accounts org / AUDIT_ACCOUNTS=org only',
    );
  }
  if (input.accounts === undefined) return { kind: 'current' };
  return { kind: 'list', ids: unique(input.accounts) };
}

/** First occurrence kept, order otherwise as given. */
function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
