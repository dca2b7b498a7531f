// The publish step after an audit: the reports to the stack's bucket (when configured), alerts (SNS digest, alert
// state in DynamoDB), then CloudWatch metrics. The Lambda handler and the CLI's --publish both call
// publishReport, so they publish the same way.
//
// Order matters: the reports first, so the digest can link to them; alerts next, so the metrics can say whether
// they were delivered (AlertDeliveryFailures, and the AuditRuns heartbeat only for a run that delivered); then
// the metrics; then, if any failed, one PublishError, so that the invocation fails loudly and the Lambda's retry
// and on-failure destination act. Publishing twice is safe: the alert state makes a rerun send only what was not
// delivered.

import { randomUUID } from 'node:crypto';
import { type ClientOptions, createPublishClients, type PublishClients } from '../clients/aws.ts';
import type { AuditConfig } from '../config/schema.ts';
import type { Report } from '../report/types.ts';
import { sendAlerts } from './alert-delivery.ts';
import type { AuditedBefore, CoverageMemory } from './coverage-memory.ts';
import { errorText } from './error-text.ts';
import { type PublishLog, SILENT } from './log.ts';
import { buildMetricData, sendMetricData } from './metrics.ts';
import { type AlertOutcome, noAlerts, PublishError, type PublishOutcome } from './outcome.ts';
import type { StoredReports } from './report-store.ts';
import { type AlertStateStore, DynamoAlertStateStore } from './state.ts';

export { describeOutcome } from './describe-outcome.ts';
export type { PublishLog } from './log.ts';
export { PublishError, type PublishOutcome } from './outcome.ts';
export type { PublishClients };

export interface PublishDeps {
  clients: PublishClients;
  /** Region of the metrics and of the state table: the Lambda's own (the topic's region comes from its ARN). */
  region: string;
  now: () => Date;
  /** The alert state; default the DynamoDB table of config.alertStateTable. */
  store?: AlertStateStore;
  newDigestId?: () => string;
  log?: PublishLog;
  /** What earlier runs saw, to record this run's view on top of (src/publish/coverage-memory.ts). */
  coverage?: { memory: CoverageMemory; before: AuditedBefore };
  /** The account the audit ran as: Security Hub findings go to its hub. */
  auditor?: { accountId: string; partition: string };
}

/** What one part of publishing gave, and the error that makes the run fail when it failed. */
interface Step<T> {
  outcome: T;
  error?: unknown;
}

export async function publishReport(
  report: Report,
  config: AuditConfig,
  deps: PublishDeps,
): Promise<PublishOutcome> {
  const log = deps.log ?? SILENT;
  // The reports first, for the digest's links. Not stored, the alerts still go (without links) and the run fails
  // at the end, like any other publish failure.
  const reports = config.reportBucket
    ? await attempt(() => storeRunReports(report, config, deps, log))
    : undefined;
  const stored = reports && 'json' in reports.outcome ? reports.outcome : undefined;
  const alerts = await publishAlerts(report, config, deps, log, stored);
  await recordCoverage(report, deps, log);
  const securityHub = config.securityHub ? await importToSecurityHub(report, deps, log) : undefined;
  const metrics = await attempt(() => sendMetrics(report, config, deps, alerts.outcome));
  const outcome: PublishOutcome = {
    metrics: metrics.outcome,
    alerts: alerts.outcome,
    ...(securityHub ? { securityHub: securityHub.outcome } : {}),
    ...(reports ? { reports: reports.outcome } : {}),
  };
  throwIfAnyFailed(outcome, config, { reports, alerts, metrics, securityHub });
  return outcome;
}

/** The work's result, or its error as the outcome says it (and kept, to fail the run with). */
async function attempt<T>(work: () => Promise<T>): Promise<Step<T | { error: string }>> {
  try {
    return { outcome: await work() };
  } catch (error) {
    return { outcome: { error: errorText(error) }, error };
  }
}

async function storeRunReports(report: Report, config: AuditConfig, deps: PublishDeps, log: PublishLog) {
  const { storeReports } = await import('./report-store.ts');
  const stored = await storeReports(report, await deps.clients.s3(deps.region), {
    bucket: config.reportBucket as string,
    region: deps.region,
    partition: deps.auditor?.partition ?? 'aws',
  });
  log.info('reports stored', { json: stored.json.s3Uri, html: stored.html.s3Uri });
  return stored;
}

const HALF_CONFIGURED =
  'a topic is set (--alert-topic-arn or ALERT_TOPIC_ARN) but no state table (--alert-state-table or ALERT_STATE_TABLE); ' +
  'alerts follow changes, which needs the state of earlier runs';

async function publishAlerts(
  report: Report,
  config: AuditConfig,
  deps: PublishDeps,
  log: PublishLog,
  reports: StoredReports | undefined,
): Promise<Step<AlertOutcome>> {
  const topicArn = config.alertTopicArn;
  if (!topicArn) return { outcome: noAlerts('not-configured') };
  if (!config.alertStateTable && !deps.store) {
    // The one warning of a half-configured alerting; the outcome's summary points at it rather than repeat it.
    log.warn(`alerts not sent: ${HALF_CONFIGURED}`);
    return { outcome: { ...noAlerts('not-configured'), reason: HALF_CONFIGURED } };
  }
  try {
    const store =
      deps.store ??
      new DynamoAlertStateStore(deps.clients.dynamodb(deps.region), config.alertStateTable as string);
    const policy = { minSeverity: config.alertMinSeverity, reminderDays: config.alertReminderDays };
    const sns = () => deps.clients.sns(topicRegion(topicArn));
    const newDigestId = deps.newDigestId ?? randomUUID;
    const run = {
      store,
      policy,
      now: deps.now(),
      topicArn,
      sns,
      newDigestId,
      log,
      ...(reports ? { reports } : {}),
    };
    const { outcome, failure } = await sendAlerts(report, run);
    return failure === undefined ? { outcome } : { outcome, error: failure };
  } catch (error) {
    return { outcome: { ...noAlerts('not-configured'), status: 'failed', error: errorText(error) }, error };
  }
}

function topicRegion(topicArn: string): string {
  const region = topicArn.split(':')[3];
  if (!region) throw new Error(`not a topic ARN: ${topicArn}`);
  return region;
}

/** What this run saw, for the next run's lost-access check. Missing it only delays that check: a warning. */
async function recordCoverage(report: Report, deps: PublishDeps, log: PublishLog): Promise<void> {
  if (!deps.coverage) return;
  await deps.coverage.memory.record(report, deps.coverage.before).catch((error: unknown) => {
    log.warn('coverage memory: could not record what this run audited', { error: errorText(error) });
  });
}

async function importToSecurityHub(report: Report, deps: PublishDeps, log: PublishLog) {
  const step = await attempt(async () => {
    if (!deps.auditor) throw new Error('the auditor account is unknown');
    // Loaded only when enabled: its SDK client is a sixth of the handler's code (cold start, issue 14).
    const { sendToSecurityHub } = await import('./security-hub.ts');
    const hub = await deps.clients.securityhub(deps.region);
    return sendToSecurityHub(report, hub, { ...deps.auditor, region: deps.region });
  });
  // Imported but for some: the outcome says how many went in, and the run fails for the rest.
  const refused = 'failed' in step.outcome ? step.outcome.failed : [];
  if (refused.length === 0) return step;
  log.warn('Security Hub refused findings twice', { failed: refused.slice(0, 20) });
  const error = new Error(
    `${refused.length} finding(s) refused by BatchImportFindings, e.g. ${refused[0]?.code}: ${refused[0]?.message}`,
  );
  return { outcome: step.outcome, error };
}

async function sendMetrics(report: Report, config: AuditConfig, deps: PublishDeps, alerts: AlertOutcome) {
  const delivered = alerts.status !== 'failed';
  const data = buildMetricData(report, {
    perAccount: config.metricsPerAccount,
    alerts: alerts.status === 'not-configured' ? undefined : { messages: alerts.messages, delivered },
  });
  return sendMetricData(deps.clients.cloudwatch(deps.region), config.metricsNamespace, data);
}

interface Steps {
  reports: Step<unknown> | undefined;
  alerts: Step<AlertOutcome>;
  metrics: Step<unknown>;
  securityHub: Step<unknown> | undefined;
}

/** One PublishError naming every part that failed, after all of them ran; its cause the first that matters. */
function throwIfAnyFailed(outcome: PublishOutcome, config: AuditConfig, steps: Steps): void {
  const { reports, alerts, metrics, securityHub } = steps;
  const failed = (step: Step<unknown> | undefined) => step !== undefined && step.error !== undefined;
  const reasons = [
    failed(reports) ? `reports not stored in ${config.reportBucket}: ${errorText(reports?.error)}` : '',
    failed(alerts) ? `alerts not delivered: ${alerts.outcome.error ?? errorText(alerts.error)}` : '',
    failed(metrics) ? `metrics not sent: ${errorText(metrics.error)}` : '',
    failed(securityHub) ? `Security Hub: ${errorText(securityHub?.error)}` : '',
  ].filter(Boolean);
  if (reasons.length === 0) return;
  const cause = [alerts, metrics, securityHub, reports].find(failed)?.error;
  throw new PublishError(`publishing failed: ${reasons.join('; ')}`, outcome, cause);
}

/**
 * The real edges, as the Lambda and the CLI use them: SDK clients for the run's own identity and region, with the
 * run's time-outs and the publish deadline's signal.
 */
export function defaultPublishDeps(
  region: string,
  log?: PublishLog,
  clientOptions: ClientOptions = {},
): PublishDeps {
  return {
    clients: createPublishClients(clientOptions),
    region,
    now: () => new Date(),
    ...(log ? { log } : {}),
  };
}
