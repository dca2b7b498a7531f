import * as z from 'zod';
import { configErrorFrom } from './errors.ts';
import {
  awsConnectTimeoutNumber,
  awsRequestTimeoutNumber,
  booleanString,
  bucketName,
  type ConfigInput,
  caWarnDaysNumber,
  concurrencyNumber,
  connectToSpec,
  csv,
  intString,
  MAX_REGIONS,
  maxAttemptsNumber,
  probeTimeoutNumber,
  reminderDaysNumber,
  s3ObjectUri,
} from './input.ts';
import {
  accountId,
  alertSeverity,
  externalId,
  metricsNamespace,
  ouId,
  region,
  roleName,
  tableName,
  topicArn,
} from './schema.ts';

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

// Unknown variables are the environment's business, not ours: only these are read.
const envSchema = z
  .object({
    AUDIT_ACCOUNTS: optional(z.union([z.literal('org'), csv(accountId)])),
    AUDIT_REGIONS: optional(z.union([z.literal('all'), csv(region, MAX_REGIONS)])),
    AUDIT_ROLE_NAME: optional(roleName),
    AUDIT_EXTERNAL_ID: optional(externalId),
    AUDIT_INCLUDE_OUS: optional(csv(ouId)),
    AUDIT_EXCLUDE_OUS: optional(csv(ouId)),
    AUDIT_EXCLUDE_ACCOUNTS: optional(csv(accountId)),
    ALERT_TOPIC_ARN: optional(topicArn),
    ALERT_MIN_SEVERITY: optional(alertSeverity),
    ALERT_REMINDER_DAYS: optional(intString(0, 365).pipe(reminderDaysNumber)),
    ALERT_STATE_TABLE: optional(tableName),
    METRICS_NAMESPACE: optional(metricsNamespace),
    METRICS_PER_ACCOUNT: optional(booleanString),
    SECURITY_HUB: optional(booleanString),
    CA_WARN_DAYS: optional(intString(0, 3650).pipe(caWarnDaysNumber)),
    AUDIT_CONNECT_TO: optional(csv(connectToSpec)),
    AUDIT_PROBE_TIMEOUT_MS: optional(intString(100, 60_000).pipe(probeTimeoutNumber)),
    AUDIT_CONCURRENCY: optional(intString(1, 256).pipe(concurrencyNumber)),
    // The SDK's own variable: we pass maxAttempts to every client, which would otherwise silently override it.
    AWS_MAX_ATTEMPTS: optional(intString(1, 20).pipe(maxAttemptsNumber)),
    AUDIT_AWS_CONNECT_TIMEOUT_MS: optional(intString(100, 60_000).pipe(awsConnectTimeoutNumber)),
    AUDIT_AWS_REQUEST_TIMEOUT_MS: optional(intString(1000, 300_000).pipe(awsRequestTimeoutNumber)),
    AUDIT_SUPPRESSIONS_PARAMETER: optional(
      z
        .string()
        .regex(/^[a-zA-Z0-9_.\-/]{1,2048}$/, 'expected an SSM parameter name (letters, digits, _ . - /)'),
    ),
    AUDIT_SUPPRESSIONS_OBJECT: optional(s3ObjectUri),
    REPORT_BUCKET: optional(bucketName),
    AUDIT_KUBERNETES: optional(booleanString),
  })
  .refine((e) => !(e.AUDIT_SUPPRESSIONS_PARAMETER && e.AUDIT_SUPPRESSIONS_OBJECT), {
    path: ['AUDIT_SUPPRESSIONS_OBJECT'],
    message: 'expected at most one of AUDIT_SUPPRESSIONS_PARAMETER and AUDIT_SUPPRESSIONS_OBJECT',
  });

export function inputFromEnv(env: Record<string, string | undefined>): ConfigInput {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw configErrorFrom('environment variable', parsed.error);
  const e = parsed.data;
  return {
    accounts: e.AUDIT_ACCOUNTS,
    regions: e.AUDIT_REGIONS,
    roleName: e.AUDIT_ROLE_NAME,
    externalId: e.AUDIT_EXTERNAL_ID,
    includeOus: e.AUDIT_INCLUDE_OUS,
    excludeOus: e.AUDIT_EXCLUDE_OUS,
    excludeAccounts: e.AUDIT_EXCLUDE_ACCOUNTS,
    alertTopicArn: e.ALERT_TOPIC_ARN,
    alertMinSeverity: e.ALERT_MIN_SEVERITY,
    alertReminderDays: e.ALERT_REMINDER_DAYS,
    alertStateTable: e.ALERT_STATE_TABLE,
    metricsNamespace: e.METRICS_NAMESPACE,
    metricsPerAccount: e.METRICS_PER_ACCOUNT,
    securityHub: e.SECURITY_HUB,
    caWarnDays: e.CA_WARN_DAYS,
    connectTo: e.AUDIT_CONNECT_TO,
    probeTimeoutMs: e.AUDIT_PROBE_TIMEOUT_MS,
    concurrency: e.AUDIT_CONCURRENCY,
    maxAttempts: e.AWS_MAX_ATTEMPTS,
    awsConnectTimeoutMs: e.AUDIT_AWS_CONNECT_TIMEOUT_MS,
    awsRequestTimeoutMs: e.AUDIT_AWS_REQUEST_TIMEOUT_MS,
    ...(e.AUDIT_SUPPRESSIONS_PARAMETER
      ? { suppressions: { kind: 'ssm' as const, name: e.AUDIT_SUPPRESSIONS_PARAMETER } }
      : {}),
    ...(e.AUDIT_SUPPRESSIONS_OBJECT
      ? { suppressions: { kind: 's3' as const, ...e.AUDIT_SUPPRESSIONS_OBJECT } }
      : {}),
    reportBucket: e.REPORT_BUCKET,
    kubernetes: e.AUDIT_KUBERNETES,
  };
}
