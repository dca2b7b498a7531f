// Every option of the auditor, declared once: its value type and range, its CLI flag, environment variable,
// serverless.yml param, manual event field, default and `--help` line. The flag, environment and event readers,
// `--help` and the defaults derive from this table; test/docs/options.test.ts holds README.md's option tables and
// serverless.yml's params to it.

import * as z from 'zod';
import type { CheckId } from '../model/catalog.ts';
import type { Severity } from '../model/finding.ts';
import {
  accountId,
  accountsInput,
  checkId,
  directoryPath,
  externalId,
  filePath,
  homeRegion,
  metricsNamespace,
  ouId,
  outputFormat,
  profileName,
  region,
  regionsInput,
  roleName,
  severity,
  shardSpec,
  ssmParameterName,
  tableName,
  topicArn,
} from './fields.ts';
import { bucketName, type ConfigInput, connectToSpec, csv, MAX_REGIONS, s3ObjectUri } from './input.ts';
import { type AnyOption, defaultsOf } from './option.ts';
import type { OutputFormat } from './output-format.ts';
import { onOff, repeated, textual, wholeNumber } from './value-types.ts';

/** What the CLI's own flags set: how it prints and filters the report, and what it does instead of an audit. */
interface CommandValues {
  format?: OutputFormat;
  output?: string;
  outputDir?: string;
  failOn?: Severity;
  minSeverity?: Severity;
  checks?: CheckId[];
  excludeChecks?: CheckId[];
  help?: boolean;
  version?: boolean;
  listChecks?: boolean;
  partOut?: string;
  merge?: string[];
}

export type OptionValues = ConfigInput & CommandValues;

export const OPTIONS = [
  {
    field: 'accounts',
    type: textual(z.union([z.literal('org'), csv(accountId)]), accountsInput),
    flag: 'accounts',
    env: 'AUDIT_ACCOUNTS',
    param: 'accounts',
    event: 'accounts',
    help: {
      section: 'Scope',
      arg: 'id1,id2 | org',
      text: 'accounts to audit (default: the account of the current credentials)',
    },
  },
  {
    field: 'regions',
    type: textual(z.union([z.literal('all'), csv(region, MAX_REGIONS)]), regionsInput),
    flag: 'regions',
    env: 'AUDIT_REGIONS',
    param: 'regions',
    event: 'regions',
    help: {
      section: 'Scope',
      arg: 'r1,r2 | all',
      text: 'regions (default: all = every region enabled for each account)',
    },
  },
  {
    field: 'roleName',
    type: textual(roleName),
    flag: 'role-name',
    env: 'AUDIT_ROLE_NAME',
    param: 'memberRoleName',
    default: 'OIDCAuditRole',
    help: { section: 'Scope', arg: 'NAME', text: 'role assumed in each other account' },
  },
  {
    field: 'externalId',
    type: textual(externalId),
    flag: 'external-id',
    env: 'AUDIT_EXTERNAL_ID',
    param: 'externalId',
    help: { section: 'Scope', arg: 'ID', text: 'ExternalId for that AssumeRole' },
  },
  {
    field: 'includeOus',
    type: textual(csv(ouId)),
    flag: 'include-ous',
    env: 'AUDIT_INCLUDE_OUS',
    param: 'includeOus',
    help: { section: 'Scope', arg: 'ou-…,r-…', text: 'with --accounts org: only accounts under these OUs' },
  },
  {
    field: 'excludeOus',
    type: textual(csv(ouId)),
    flag: 'exclude-ous',
    env: 'AUDIT_EXCLUDE_OUS',
    param: 'excludeOus',
    help: { section: 'Scope', arg: 'ou-…', text: 'with --accounts org: skip accounts under these OUs' },
  },
  {
    field: 'excludeAccounts',
    type: textual(csv(accountId)),
    flag: 'exclude-accounts',
    env: 'AUDIT_EXCLUDE_ACCOUNTS',
    param: 'excludeAccounts',
    help: { section: 'Scope', arg: 'id,…', text: 'with --accounts org: skip these accounts' },
  },
  {
    field: 'profile',
    type: textual(profileName),
    flag: 'profile',
    report: true,
    help: {
      section: 'Scope',
      arg: 'NAME',
      text: "credentials of this profile of ~/.aws/config (as the AWS CLI's --profile)",
    },
  },
  {
    field: 'homeRegion',
    type: textual(homeRegion),
    flag: 'region',
    report: true,
    help: {
      section: 'Scope',
      arg: 'NAME',
      text:
        "home region of STS and publishing, not an audited one (default: AWS_REGION, the profile's region, " +
        'else us-east-1); the regions audited are --regions',
    },
  },
  {
    field: 'format',
    type: textual(outputFormat),
    flag: 'format',
    report: true,
    help: {
      section: 'Output',
      arg: 'table|json|csv|ocsf|html',
      text:
        'default: table on a terminal, else json; csv: one row per finding; ocsf: one OCSF Detection Finding ' +
        'per line (Security Hub, SIEMs); html: one self-contained page to open in a browser',
    },
  },
  {
    field: 'output',
    type: textual(filePath),
    flag: 'output',
    report: true,
    help: {
      section: 'Output',
      arg: 'FILE',
      text:
        'also write the report to FILE, in --format, else the format its name ends with (.json, .csv, ' +
        '.ocsf.jsonl or .jsonl, .html, .txt for the table), else JSON; a name of another format than --format ' +
        'is a usage error',
    },
  },
  {
    field: 'outputDir',
    type: textual(directoryPath),
    flag: 'output-dir',
    report: true,
    help: {
      section: 'Output',
      arg: 'DIR',
      text:
        'also write every format into DIR (made if missing): report.json, report.csv, report.ocsf.jsonl, ' +
        'report.html, report.txt (the table, without colours)',
    },
  },
  {
    field: 'failOn',
    type: textual(severity),
    flag: 'fail-on',
    report: true,
    help: {
      section: 'Output',
      arg: 'SEVERITY',
      text: 'exit 2 when a finding at or above it exists (critical, high, medium, low, info)',
    },
  },
  {
    field: 'minSeverity',
    type: textual(severity),
    flag: 'severity',
    report: true,
    help: {
      section: 'Output',
      arg: 'SEVERITY',
      text: 'show only findings at or above it (the report and the table say how many it hides)',
    },
  },
  {
    field: 'checks',
    type: textual(csv(checkId)),
    flag: 'checks',
    report: true,
    help: { section: 'Output', arg: 'id,…', text: 'show only these checks' },
  },
  {
    field: 'excludeChecks',
    type: textual(csv(checkId)),
    flag: 'exclude-checks',
    report: true,
    help: { section: 'Output', arg: 'id,…', text: 'show all checks but these' },
  },
  {
    field: 'publish',
    type: onOff,
    flag: 'publish',
    help: { section: 'Output', text: 'also send metrics and alerts, as the Lambda does' },
  },
  {
    field: 'securityHub',
    type: onOff,
    flag: 'security-hub',
    env: 'SECURITY_HUB',
    param: 'securityHub',
    default: false,
    help: { section: 'Output', text: 'with --publish: also import the findings into Security Hub CSPM' },
  },
  {
    field: 'suppressions',
    type: textual(filePath.transform((path) => ({ kind: 'file' as const, path }))),
    flag: 'suppressions',
    report: true,
    help: {
      section: 'Output',
      arg: 'FILE',
      text: 'accepted risks (YAML): matching findings are muted, not alerted or counted',
    },
  },
  {
    field: 'suppressions',
    type: textual(ssmParameterName.transform((name) => ({ kind: 'ssm' as const, name }))),
    env: 'AUDIT_SUPPRESSIONS_PARAMETER',
    param: 'suppressionsParameter',
  },
  {
    field: 'suppressions',
    type: textual(s3ObjectUri.transform((object) => ({ kind: 's3' as const, ...object }))),
    env: 'AUDIT_SUPPRESSIONS_OBJECT',
    param: 'suppressionsObject',
  },
  {
    field: 'alertTopicArn',
    type: textual(topicArn),
    flag: 'alert-topic-arn',
    env: 'ALERT_TOPIC_ARN',
    help: { section: 'Publishing (with --publish)', arg: 'ARN', text: 'SNS topic for the alert digest' },
  },
  {
    field: 'alertStateTable',
    type: textual(tableName),
    flag: 'alert-state-table',
    env: 'ALERT_STATE_TABLE',
    help: {
      section: 'Publishing (with --publish)',
      arg: 'NAME',
      text: 'DynamoDB table of the alert state (required for alerts)',
    },
  },
  {
    field: 'alertMinSeverity',
    type: textual(severity),
    flag: 'alert-min-severity',
    env: 'ALERT_MIN_SEVERITY',
    param: 'alertMinSeverity',
    default: 'high',
    help: { section: 'Publishing (with --publish)', arg: 'SEV', text: 'alert findings at or above it' },
  },
  {
    field: 'alertReminderDays',
    type: wholeNumber(0, 365),
    flag: 'alert-reminder-days',
    env: 'ALERT_REMINDER_DAYS',
    param: 'alertReminderDays',
    default: 7,
    help: {
      section: 'Publishing (with --publish)',
      arg: 'N',
      text: 'remind of findings still open after N days; 0 = never',
    },
  },
  {
    field: 'metricsNamespace',
    type: textual(metricsNamespace),
    flag: 'metrics-namespace',
    env: 'METRICS_NAMESPACE',
    param: 'metricsNamespace',
    default: 'EKS/OIDCAudit',
    help: { section: 'Publishing (with --publish)', arg: 'NS', text: 'CloudWatch namespace' },
  },
  {
    field: 'metricsPerAccount',
    type: onOff,
    flag: 'metrics-per-account',
    env: 'METRICS_PER_ACCOUNT',
    param: 'metricsPerAccount',
    default: false,
    help: {
      section: 'Publishing (with --publish)',
      text: 'also publish findings per account (costs more: see the README)',
    },
  },
  {
    field: 'reportBucket',
    type: textual(bucketName),
    env: 'REPORT_BUCKET',
  },
  {
    field: 'kubernetes',
    type: onOff,
    flag: 'kubernetes',
    env: 'AUDIT_KUBERNETES',
    param: 'kubernetes',
    default: false,
    help: {
      section: 'Kubernetes (docs/kubernetes.md)',
      text:
        "also read each cluster's Kubernetes API (service accounts, annotations, pods) with a token of the " +
        'audit role; it needs an EKS access entry with AmazonEKSViewPolicy (deploy/cluster-access.yaml)',
    },
  },
  {
    field: 'connectTo',
    type: repeated(connectToSpec),
    flag: 'connect-to',
    env: 'AUDIT_CONNECT_TO',
    param: 'connectTo',
    help: {
      section: 'Probing',
      arg: 'HOST:PORT:CONNECT_HOST:CONNECT_PORT',
      text:
        'repeatable; open TLS connections for HOST:PORT to CONNECT_HOST:CONNECT_PORT instead (private DNS, ' +
        'proxies); HOST may be *.suffix (every host under it); comma-separated in AUDIT_CONNECT_TO',
    },
  },
  {
    field: 'caWarnDays',
    type: wholeNumber(0, 3650),
    flag: 'ca-warn-days',
    env: 'CA_WARN_DAYS',
    param: 'caWarnDays',
    default: 180,
    help: { section: 'Probing', arg: 'N', text: 'days before CA expiry that count as expiring' },
  },
  {
    field: 'probeTimeoutMs',
    type: wholeNumber(100, 60_000),
    flag: 'probe-timeout-ms',
    env: 'AUDIT_PROBE_TIMEOUT_MS',
    default: 5000,
    help: { section: 'Probing', arg: 'N', text: 'connect and read time-out per issuer' },
  },
  {
    field: 'concurrency',
    type: wholeNumber(1, 256),
    flag: 'concurrency',
    env: 'AUDIT_CONCURRENCY',
    default: 128,
    help: {
      section: 'Probing',
      arg: 'N',
      text: 'AWS calls in flight at once, across accounts; each account also has a few per service, docs/performance.md',
    },
  },
  {
    // The SDK's own variable: we pass maxAttempts to every client, which would otherwise silently override it.
    field: 'maxAttempts',
    type: wholeNumber(1, 20),
    env: 'AWS_MAX_ATTEMPTS',
    default: 6,
  },
  {
    field: 'timeLimitSeconds',
    type: wholeNumber(10, 86_400),
    flag: 'time-limit',
    help: {
      section: 'Time',
      arg: 'SECONDS',
      text:
        'end the whole run within SECONDS: what was not reached by then is reported as audit-error findings ' +
        '(default: no limit)',
    },
  },
  {
    // IAM, EKS and STS answer in well under a second; 3 s to connect and 20 s for a whole answer leave room for a
    // slow region and a 1,000-role ListRoles page while a socket that never answers costs 20 s, not the run.
    field: 'awsConnectTimeoutMs',
    type: wholeNumber(100, 60_000),
    flag: 'aws-connect-timeout-ms',
    env: 'AUDIT_AWS_CONNECT_TIMEOUT_MS',
    default: 3_000,
    help: { section: 'Time', arg: 'N', text: 'per AWS connection attempt' },
  },
  {
    field: 'awsRequestTimeoutMs',
    type: wholeNumber(1000, 300_000),
    flag: 'aws-request-timeout-ms',
    env: 'AUDIT_AWS_REQUEST_TIMEOUT_MS',
    default: 20_000,
    help: { section: 'Time', arg: 'N', text: 'per AWS request, until its whole answer' },
  },
  {
    field: 'shard',
    type: textual(shardSpec),
    flag: 'shard',
    help: {
      section: 'Splitting an audit (docs/fan-out.md)',
      arg: 'I/N',
      text: 'with --part-out: read only shard I of N of the accounts in scope',
    },
  },
  {
    field: 'partOut',
    type: textual(filePath),
    flag: 'part-out',
    help: {
      section: 'Splitting an audit (docs/fan-out.md)',
      arg: 'FILE',
      text: 'with --shard: write what the shard read to FILE (gzip JSON lines) instead of a report',
    },
  },
  {
    field: 'merge',
    type: repeated(filePath),
    flag: 'merge',
    help: {
      section: 'Splitting an audit (docs/fan-out.md)',
      arg: 'FILE',
      text:
        'repeatable, one per shard: judge the parts as one audit (no AWS reads); report, formats, --fail-on ' +
        'and --publish as for a whole run',
    },
  },
  {
    field: 'listChecks',
    type: onOff,
    flag: 'list-checks',
    help: {
      section: '',
      text:
        'the checks, their severities and what they find; --format table|json|csv, narrowed by --severity ' +
        '(checks that can reach it), --checks, --exclude-checks',
    },
  },
  {
    field: 'help',
    type: onOff,
    flag: 'help',
    report: true,
    short: 'h',
    help: { section: '', text: 'this text' },
  },
  {
    field: 'version',
    type: onOff,
    flag: 'version',
    help: { section: '', text: 'the version' },
  },
] as const satisfies readonly AnyOption<OptionValues>[];

/** The defaults of the options that have one: `DEFAULTS.caWarnDays` is 180. */
export const DEFAULTS = defaultsOf(OPTIONS);
