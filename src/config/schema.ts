import type { ConnectTo } from '../model/connect-to.ts';
import type { Severity, Trigger } from '../model/finding.ts';
import type { Shard, SuppressionSource } from './input.ts';

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
  kubernetes: boolean;
}

// test/deploy/member-role.test.ts holds the member role's template to these.
export { externalId, roleName } from './fields.ts';
export { DEFAULTS } from './options.ts';
