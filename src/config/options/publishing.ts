// Where alerts, metrics and reports go. Rows of the options table (src/config/options.ts).

import { metricsNamespace, severity, tableName, topicArn } from '../fields.ts';
import { bucketName } from '../input.ts';
import type { OptionRow } from '../option.ts';
import { onOff, textual, wholeNumber } from '../value-types.ts';

export const PUBLISHING_OPTIONS = [
  {
    field: 'alertTopicArn',
    type: textual(topicArn),
    flag: 'alert-topic-arn',
    env: 'ALERT_TOPIC_ARN',
    help: { section: 'Publishing (with --publish)', arg: 'ARN', text: 'SNS topic for the alert digest' },
  },
  /** DynamoDB table holding what subscribers were last told about each finding (see src/publish/state.ts). */
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
  /** Findings at or above this severity are alerted when new and when resolved. */
  {
    field: 'alertMinSeverity',
    type: textual(severity),
    flag: 'alert-min-severity',
    env: 'ALERT_MIN_SEVERITY',
    param: 'alertMinSeverity',
    default: 'high',
    help: { section: 'Publishing (with --publish)', arg: 'SEV', text: 'alert findings at or above it' },
  },
  /** Days after which a finding still open is alerted again; 0 = never. */
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
  /** Also publish findings per account (an AccountId dimension): 5 more metrics per account, see the README. */
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
  /** The stack's report bucket: the Lambda writes each run's JSON and HTML reports there. */
  {
    field: 'reportBucket',
    type: textual(bucketName),
    env: 'REPORT_BUCKET',
  },
] as const satisfies readonly OptionRow[];
