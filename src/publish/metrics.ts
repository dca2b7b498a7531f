// CloudWatch metrics of one audit run: built from the report (pure), then sent in batches within the
// PutMetricData limits (docs/aws-apis.md: 1,000 data points and 1 MB per call).
//
// Every metric here is a custom metric, billed per metric (name + dimensions) for each hour it receives data, so
// the dimensions are few and bounded by default: severity (5), check id (20) and issuer host (about one per
// region). Per-account dimensions multiply that by the number of accounts and are opt-in (METRICS_PER_ACCOUNT).

import { type CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CATALOG } from '../model/catalog.ts';
import { CHECK_IDS, type Finding, SEVERITIES } from '../model/finding.ts';
import { daysToCaExpiryByHost } from '../report/ca-expiry.ts';
import { auditedNothing } from '../report/coverage.ts';
import type { Report } from '../report/types.ts';

export const MAX_DATUMS_PER_CALL = 1000;
/** PutMetricData accepts 1 MB per request; stay under it whichever way "MB" is read, envelope included. */
export const MAX_BYTES_PER_CALL = 1_000_000;

/** Metric names: dashboards, alarms and the README name them; rename only with a migration note. */
export const METRIC = {
  findings: 'Findings',
  accounts: 'AccountsAudited',
  regions: 'RegionsAudited',
  clusters: 'ClustersAudited',
  providers: 'ProvidersAudited',
  roles: 'RolesAudited',
  auditErrors: 'AuditErrors',
  /** Account × region pairs audited over those in scope, percent: below 100 the dashboard is partly blind. */
  coverage: 'Coverage',
  /** Accounts that could not be read at all. */
  blindAccounts: 'BlindAccounts',
  daysToCaExpiry: 'DaysToCaExpiry',
  duration: 'AuditDuration',
  /**
   * 1 for each run whose audit read something and whose alerts (when configured) were delivered: the heartbeat.
   * A run that read no account is no successful audit, however it ended.
   */
  runs: 'AuditRuns',
  alertMessages: 'AlertMessages',
  alertFailures: 'AlertDeliveryFailures',
  /** Findings muted as accepted risks (the suppression file), counted apart from Findings. */
  muted: 'Muted',
} as const;

export interface AlertOutcomeForMetrics {
  /** SNS messages sent this run. */
  messages: number;
  /** Whether every alert of the run was delivered (false: the run fails after sending the metrics). */
  delivered: boolean;
}

export interface MetricOptions {
  perAccount: boolean;
  /** Absent when no alert topic is configured: then no alert metrics are sent. */
  alerts?: AlertOutcomeForMetrics;
}

type Datum = (
  name: string,
  value: number,
  unit: MetricDatum['Unit'],
  dimensions?: Record<string, string>,
) => MetricDatum;

/** Data points stamped with the time the audit finished. */
function datumAt(at: Date): Datum {
  return (name, value, unit, dimensions = {}) => ({
    MetricName: name,
    ...(Object.keys(dimensions).length > 0
      ? { Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })) }
      : {}),
    Timestamp: at,
    Value: value,
    Unit: unit,
  });
}

/** The data points of one run, all stamped with the time the audit finished. */
export function buildMetricData(report: Report, options: MetricOptions): MetricDatum[] {
  const at = new Date(report.finishedAt);
  const datum = datumAt(at);
  const counted = report.findings.filter((finding) => !finding.muted);
  const byCheck = countByCheck(report, counted);
  const durationSeconds = Math.max(0, (at.getTime() - new Date(report.startedAt).getTime()) / 1000);
  return [
    // Zeros included: a fixed problem must show as 0 on the dashboard and clear the alarm, not as a gap.
    ...SEVERITIES.map((severity) =>
      datum(METRIC.findings, report.summary.findings[severity], 'Count', { Severity: severity }),
    ),
    ...[...byCheck].map(([check, count]) => datum(METRIC.findings, count, 'Count', { Check: check })),
    ...runData(report, byCheck, report.findings.length - counted.length, datum),
    ...[...daysToCaExpiryByHost(report)].map(([host, days]) =>
      datum(METRIC.daysToCaExpiry, days, 'None', { IssuerHost: host }),
    ),
    datum(METRIC.duration, Math.round(durationSeconds * 1000) / 1000, 'Seconds'),
    ...(options.perAccount ? perAccountData(report, counted, datum) : []),
    ...alertData(report, options.alerts, datum),
  ];
}

/** Findings by check, the muted left out; every check the run judged is there, with 0 when it found nothing. */
function countByCheck(report: Report, counted: readonly Finding[]): Map<string, number> {
  // The Kubernetes checks only for a run that read Kubernetes (--kubernetes): without it they would be nine
  // metrics more, always 0, on every bill.
  const judged = report.summary.coverage.kubernetes
    ? CHECK_IDS
    : CHECK_IDS.filter((check) => CATALOG[check].family !== 'kubernetes');
  const byCheck = new Map<string, number>(judged.map((check) => [check, 0]));
  for (const finding of counted) byCheck.set(finding.check, (byCheck.get(finding.check) ?? 0) + 1);
  return byCheck;
}

/** What the run read, what it could not, and how many findings were muted. */
function runData(report: Report, byCheck: Map<string, number>, muted: number, datum: Datum): MetricDatum[] {
  const { summary } = report;
  return [
    datum(METRIC.accounts, summary.accounts, 'Count'),
    datum(METRIC.regions, summary.regions, 'Count'),
    datum(METRIC.clusters, summary.clusters, 'Count'),
    datum(METRIC.providers, summary.providers, 'Count'),
    datum(METRIC.roles, summary.roles, 'Count'),
    // Audit-error findings, not report.errors alone: a role whose trust policy could not be read counts too.
    datum(METRIC.auditErrors, byCheck.get('audit-error') ?? 0, 'Count'),
    datum(METRIC.coverage, summary.coverage.percent, 'Percent'),
    datum(METRIC.blindAccounts, summary.coverage.blindAccounts.length, 'Count'),
    datum(METRIC.muted, muted, 'Count'),
  ];
}

/** Findings by account and severity (METRICS_PER_ACCOUNT), every account in scope, in account order. */
function perAccountData(report: Report, counted: readonly Finding[], datum: Datum): MetricDatum[] {
  const zeros = () => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<string, number>;
  const perAccount = new Map<string, Record<string, number>>();
  for (const accountId of report.scope.accounts) perAccount.set(accountId, zeros());
  for (const finding of counted) {
    const counts = perAccount.get(finding.accountId) ?? zeros();
    counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
    perAccount.set(finding.accountId, counts);
  }
  return [...perAccount]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([accountId, counts]) =>
      SEVERITIES.map((severity) =>
        datum(METRIC.findings, counts[severity] ?? 0, 'Count', { AccountId: accountId, Severity: severity }),
      ),
    );
}

/** The alert metrics when alerting is configured, then the heartbeat of a run that read something. */
function alertData(report: Report, alerts: AlertOutcomeForMetrics | undefined, datum: Datum): MetricDatum[] {
  const data = alerts
    ? [
        datum(METRIC.alertMessages, alerts.messages, 'Count'),
        datum(METRIC.alertFailures, alerts.delivered ? 0 : 1, 'Count'),
      ]
    : [];
  const delivered = !alerts || alerts.delivered;
  if (delivered && !auditedNothing(report.summary.coverage)) data.push(datum(METRIC.runs, 1, 'Count'));
  return data;
}

/** Bytes a datum takes in the awsJson1_0 body (timestamps travel as epoch seconds), plus its comma. */
export function datumBytes(datum: MetricDatum): number {
  const wire = { ...datum, Timestamp: datum.Timestamp ? datum.Timestamp.getTime() / 1000 : undefined };
  return Buffer.byteLength(JSON.stringify(wire)) + 1;
}

/** Splits data points into PutMetricData calls of at most 1,000 data points and 1 MB each, in order. */
export function batchMetricData(
  namespace: string,
  data: readonly MetricDatum[],
  limits: { maxDatums?: number; maxBytes?: number } = {},
): MetricDatum[][] {
  const maxDatums = limits.maxDatums ?? MAX_DATUMS_PER_CALL;
  const maxBytes = limits.maxBytes ?? MAX_BYTES_PER_CALL;
  const envelope = Buffer.byteLength(JSON.stringify({ Namespace: namespace, MetricData: [] }));
  const batches: MetricDatum[][] = [];
  let current: MetricDatum[] = [];
  let bytes = envelope;
  for (const datum of data) {
    const size = datumBytes(datum);
    if (envelope + size > maxBytes) {
      throw new Error(
        `metric ${datum.MetricName}: one data point of ${size} bytes exceeds the request limit`,
      );
    }
    if (current.length >= maxDatums || bytes + size > maxBytes) {
      batches.push(current);
      current = [];
      bytes = envelope;
    }
    current.push(datum);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export interface SentMetrics {
  datums: number;
  calls: number;
}

/**
 * Sends the batches one after the other; the client's own retries cover throttling and 5xx. A batch that still
 * fails stops the rest and throws: the run then fails, and the Lambda's retry sends them again.
 */
export async function sendMetricData(
  client: CloudWatchClient,
  namespace: string,
  data: readonly MetricDatum[],
): Promise<SentMetrics> {
  const batches = batchMetricData(namespace, data);
  for (const batch of batches) {
    await client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: batch }));
  }
  return { datums: data.length, calls: batches.length };
}
