import * as z from 'zod';
import type { ConnectTo } from '../model/connect-to.ts';
import { SEVERITIES, type Severity, type Trigger } from '../model/finding.ts';
import { MAX_ACCOUNTS, MAX_REGIONS, type Shard, type SuppressionSource } from './input.ts';
import { closestRegions, isKnownRegion } from './regions.ts';

export type AccountSelection =
  | { kind: 'current' }
  | { kind: 'list'; ids: string[] }
  | { kind: 'org'; excludeAccounts: string[]; includeOus: string[]; excludeOus: string[] };

/** The one validated configuration every entry point (Lambda, CLI) turns its input into. */
export interface AuditConfig {
  trigger: Trigger;
  accounts: AccountSelection;
  /** `all` = every region enabled for each account; else this list, intersected with the enabled ones. */
  regions: 'all' | string[];
  roleName: string;
  externalId?: string;
  caWarnDays: number;
  connectTo: ConnectTo[];
  /** Connect and read time-out of each issuer probe. */
  probeTimeoutMs: number;
  /** AWS calls and probes in flight at once. */
  concurrency: number;
  /** Attempts per AWS call, the first included (AWS_MAX_ATTEMPTS); adaptive retry paces throttled ones. */
  maxAttempts: number;
  /** Time-out of each AWS connection attempt. */
  awsConnectTimeoutMs: number;
  /** Time-out of each AWS request, from sending it to its whole answer (an endpoint that never answers). */
  awsRequestTimeoutMs: number;
  /** The CLI's --time-limit: the whole run, report and publish included; undefined = none. */
  timeLimitSeconds?: number;
  /** Send metrics and alerts. */
  publish: boolean;
  alertTopicArn?: string;
  /** Findings at or above this severity are alerted when new and when resolved. */
  alertMinSeverity: Severity;
  /** Days after which a finding still open is alerted again; 0 = never. */
  alertReminderDays: number;
  /** DynamoDB table holding what subscribers were last told about each finding (see src/publish/state.ts). */
  alertStateTable?: string;
  metricsNamespace: string;
  /** Also publish findings per account (an AccountId dimension): 5 more metrics per account, see the README. */
  metricsPerAccount: boolean;
  /** Where the accepted risks come from; none when absent. */
  suppressions?: SuppressionSource;
  /** The stack's report bucket (REPORT_BUCKET): the Lambda writes each run's JSON and HTML reports there. */
  reportBucket?: string;
  /** Audit only this shard of the accounts in scope (`--shard I/N`). */
  shard?: Shard;
  /** Also import the findings into Security Hub CSPM, and archive the resolved ones (docs/security-hub.md). */
  securityHub: boolean;
  /**
   * The CLI's --profile, as the AWS CLI has it: the profile of ~/.aws/config and ~/.aws/credentials that the
   * credentials and SDK settings come from, over AWS_PROFILE and the environment's keys. Absent: the SDK's chain.
   */
  profile?: string;
  /**
   * The CLI's --region, as the AWS CLI has it: STS (the caller, AssumeRole), the regions list fallback, the
   * accepted risks' SSM/S3 reads, the alert state and publishing; never the regions audited (--regions).
   * Absent: AWS_REGION, AWS_DEFAULT_REGION, (the CLI) the profile's region in ~/.aws/config, else us-east-1.
   */
  homeRegion?: string;
  /** Also read each cluster's Kubernetes API: service accounts, annotations, pods (docs/kubernetes.md). */
  kubernetes?: boolean;
}

export const DEFAULTS = {
  roleName: 'OIDCAuditRole',
  caWarnDays: 180,
  probeTimeoutMs: 5000,
  concurrency: 128,
  maxAttempts: 6,
  // IAM, EKS and STS answer in well under a second; 3 s to connect and 20 s for a whole answer leave room for a
  // slow region and a 1,000-role ListRoles page while a socket that never answers costs 20 s, not the run.
  awsConnectTimeoutMs: 3_000,
  awsRequestTimeoutMs: 20_000,
  metricsNamespace: 'EKS/OIDCAudit',
  alertMinSeverity: 'high',
  alertReminderDays: 7,
  metricsPerAccount: false,
} as const;

export const accountId = z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id');
export const region = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region name such as us-east-1')
  .superRefine((name, ctx) => {
    if (isKnownRegion(name)) return;
    const closest = closestRegions(name);
    ctx.addIssue({
      code: 'custom',
      message:
        `${name} is not an AWS region of the aws, aws-cn or aws-us-gov partitions` +
        (closest.length > 0 ? ` (did you mean ${closest.join(', ')}?)` : ''),
    });
  });
/** A profile name of ~/.aws/config, as `aws configure --profile NAME` writes it. */
export const profileName = z
  .string()
  .regex(
    /^[\w.+@:/-]{1,128}$/,
    'expected a profile name of ~/.aws/config (letters, digits and . _ - + @ : /)',
  );
/** One region for the calls that are not about an audited region; the audited ones are --regions. */
export const homeRegion = z
  .string()
  .refine((value) => !value.includes(','), 'expected one region; the regions to audit are --regions')
  .pipe(region);
const ouId = z
  .string()
  .regex(
    /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/,
    'expected an OU id (ou-…) or root id (r-…)',
  );
export const roleName = z
  .string()
  .regex(/^[\w+=,.@-]{1,64}$/, 'expected an IAM role name (1-64 of A-Z a-z 0-9 +=,.@_-)');
export const externalId = z
  .string()
  .regex(/^[\w+=,.@:/-]{2,1224}$/, 'expected an ExternalId of 2-1224 characters');
export const topicArn = z
  .string()
  .regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]{1,256}(\.fifo)?$/, 'expected an SNS topic ARN');
export const metricsNamespace = z
  .string()
  .regex(/^[^:][\w .#:/-]{0,254}$/, 'expected a CloudWatch namespace (letters, digits, . - _ / # : space)')
  .refine((value) => !value.startsWith('AWS/'), 'the AWS/ prefix is reserved for AWS namespaces');

export const alertSeverity = z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` });
export const tableName = z
  .string()
  .regex(/^[\w.-]{3,255}$/, 'expected a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)');

/** Accepts `org`, or a list of account ids (at most MAX_ACCOUNTS: a bound, so an event cannot run away). */
export const accountsInput = z
  .union([z.literal('org'), z.array(accountId).min(1, 'expected at least one account id')], {
    error: 'expected "org" or a list of 12-digit account ids',
  })
  .refine((value) => value === 'org' || value.length <= MAX_ACCOUNTS, {
    message: `expected at most ${MAX_ACCOUNTS} account ids`,
  });
/** Accepts `all`, or a list of region names (at most MAX_REGIONS). */
export const regionsInput = z
  .union([z.literal('all'), z.array(region).min(1, 'expected at least one region')], {
    error: 'expected "all" or a list of region names such as ["us-east-1"]',
  })
  .refine((value) => value === 'all' || value.length <= MAX_REGIONS, {
    message: `expected at most ${MAX_REGIONS} regions`,
  });

export { ouId };
