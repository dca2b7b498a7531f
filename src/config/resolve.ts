import type { Trigger } from '../model/finding.ts';
import { parseConnectTo } from './connect-to.ts';
import { ConfigError } from './errors.ts';
import type { ConfigInput } from './input.ts';
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
  const publish = input.publish ?? trigger !== 'cli';
  return {
    trigger,
    accounts: accountSelection(input),
    // Each region and account once, whatever the sources repeat: a region listed twice was audited twice.
    regions: input.regions === undefined || input.regions === 'all' ? 'all' : unique(input.regions),
    roleName: input.roleName ?? DEFAULTS.roleName,
    externalId: input.externalId,
    caWarnDays: input.caWarnDays ?? DEFAULTS.caWarnDays,
    connectTo: (input.connectTo ?? []).map(parseConnectTo),
    probeTimeoutMs: input.probeTimeoutMs ?? DEFAULTS.probeTimeoutMs,
    concurrency: input.concurrency ?? DEFAULTS.concurrency,
    maxAttempts: input.maxAttempts ?? DEFAULTS.maxAttempts,
    awsConnectTimeoutMs: input.awsConnectTimeoutMs ?? DEFAULTS.awsConnectTimeoutMs,
    awsRequestTimeoutMs: input.awsRequestTimeoutMs ?? DEFAULTS.awsRequestTimeoutMs,
    ...(input.timeLimitSeconds !== undefined ? { timeLimitSeconds: input.timeLimitSeconds } : {}),
    publish,
    alertTopicArn: input.alertTopicArn,
    alertMinSeverity: input.alertMinSeverity ?? DEFAULTS.alertMinSeverity,
    alertReminderDays: input.alertReminderDays ?? DEFAULTS.alertReminderDays,
    alertStateTable: input.alertStateTable,
    metricsNamespace: input.metricsNamespace ?? DEFAULTS.metricsNamespace,
    metricsPerAccount: input.metricsPerAccount ?? DEFAULTS.metricsPerAccount,
    ...(input.suppressions ? { suppressions: input.suppressions } : {}),
    securityHub: input.securityHub ?? DEFAULTS.securityHub,
    ...(input.reportBucket ? { reportBucket: input.reportBucket } : {}),
    ...(input.shard ? { shard: input.shard } : {}),
    ...(input.profile ? { profile: input.profile } : {}),
    ...(input.homeRegion ? { homeRegion: input.homeRegion } : {}),
    ...(input.kubernetes ? { kubernetes: true } : {}),
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
