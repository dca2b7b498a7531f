// The publish step after an audit: the reports to the stack's bucket (when configured), alerts (SNS digest, alert
// state in DynamoDB), then CloudWatch metrics. The Lambda handler and the CLI's --publish both call
// publishReport, so they publish the same way.
//
// Order matters: the reports first, so the digest can link to them; alerts next, so the metrics can say whether
// they were delivered (AlertDeliveryFailures, and the AuditRuns heartbeat only for a run that delivered); then
// the metrics; then, if any failed, one
// PublishError, so that the invocation fails loudly and the Lambda's retry and on-failure destination act.
// Publishing twice is safe: the alert state makes a rerun send only what was not delivered.

import { randomUUID } from 'node:crypto';
import { PublishCommand } from '@aws-sdk/client-sns';
import pLimit from 'p-limit';
import { type ClientOptions, createPublishClients, type PublishClients } from '../clients/aws.ts';
import type { AuditConfig } from '../config/schema.ts';
import type { Report } from '../report/types.ts';
import { type AlertPolicy, planAlerts, type Transition } from './alert-plan.ts';
import type { AuditedBefore, CoverageMemory } from './coverage-memory.ts';
import type { DigestPart } from './digest-message.ts';
import { splitDigest } from './digest-split.ts';
import { type AlertOutcomeForMetrics, buildMetricData, type SentMetrics, sendMetricData } from './metrics.ts';
import type { StoredReports } from './report-store.ts';
import type { SecurityHubOutcome } from './security-hub.ts';
import { type AlertStateStore, CLAIM_TTL_MS, DynamoAlertStateStore } from './state.ts';

export type { PublishClients };

export interface PublishLog {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

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

export type AlertStatus = 'sent' | 'unchanged' | 'failed' | 'not-configured';

export interface AlertOutcome {
  status: AlertStatus;
  digestId?: string;
  /** SNS messages accepted. */
  messages: number;
  /** Transitions delivered (and recorded as notified), by kind. */
  delivered: { new: number; resolved: number; reminder: number };
  /** Transitions claimed but not delivered (released for the next run). */
  undelivered: number;
  /** Transitions another run had already claimed or sent: left to it. */
  lostToOtherRuns: number;
  skipped?: { busy: number; newer: number; unobserved: number };
  error?: string;
  /** Not configured although a topic is: why no alert could be sent (warned once, when publishing). */
  reason?: string;
}

export interface PublishOutcome {
  metrics: SentMetrics | { error: string };
  alerts: AlertOutcome;
  /** Only with Security Hub on. */
  securityHub?: SecurityHubOutcome | { error: string };
  /** Only with a report bucket (REPORT_BUCKET): where the run's JSON and HTML reports were written. */
  reports?: StoredReports | { error: string };
}

/** Publishing failed after retries: thrown after everything that could be published was. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  readonly outcome: PublishOutcome;
  constructor(message: string, outcome: PublishOutcome, cause: unknown) {
    super(message, { cause });
    this.outcome = outcome;
  }
}

const HALF_CONFIGURED =
  'a topic is set (--alert-topic-arn or ALERT_TOPIC_ARN) but no state table (--alert-state-table or ALERT_STATE_TABLE); ' +
  'alerts follow changes, which needs the state of earlier runs';

const WRITE_CONCURRENCY = 16;
const NONE = { new: 0, resolved: 0, reminder: 0 };

export async function publishReport(
  report: Report,
  config: AuditConfig,
  deps: PublishDeps,
): Promise<PublishOutcome> {
  const log = deps.log ?? { info: () => {}, warn: () => {} };
  // The reports first, for the digest's links. Not stored, the alerts still go (without links) and the run fails
  // at the end, like any other publish failure.
  let reports: PublishOutcome['reports'];
  let reportsError: unknown;
  if (config.reportBucket) {
    try {
      const { storeReports } = await import('./report-store.ts');
      reports = await storeReports(report, await deps.clients.s3(deps.region), {
        bucket: config.reportBucket,
        region: deps.region,
        partition: deps.auditor?.partition ?? 'aws',
      });
      log.info('reports stored', { json: reports.json.s3Uri, html: reports.html.s3Uri });
    } catch (error) {
      reportsError = error;
      reports = { error: message(error) };
    }
  }
  const stored = reports && 'json' in reports ? reports : undefined;
  let alerts: AlertOutcome = {
    status: 'not-configured',
    messages: 0,
    delivered: NONE,
    undelivered: 0,
    lostToOtherRuns: 0,
  };
  let alertError: unknown;
  if (config.alertTopicArn && !config.alertStateTable && !deps.store) {
    // The one warning of a half-configured alerting; the outcome's summary points at it rather than repeat it.
    alerts = { ...alerts, reason: HALF_CONFIGURED };
    log.warn(`alerts not sent: ${HALF_CONFIGURED}`);
  } else if (config.alertTopicArn) {
    try {
      alerts = await sendAlerts(report, config, deps, log, stored);
    } catch (error) {
      alertError = error;
      alerts =
        error instanceof AlertDeliveryError
          ? error.outcome
          : { ...alerts, status: 'failed', error: message(error) };
    }
  }

  // What this run saw, for the next run's lost-access check. Missing it only delays that check: a warning.
  if (deps.coverage) {
    await deps.coverage.memory.record(report, deps.coverage.before).catch((error: unknown) => {
      log.warn('coverage memory: could not record what this run audited', { error: message(error) });
    });
  }

  let securityHub: PublishOutcome['securityHub'];
  let securityHubError: unknown;
  if (config.securityHub) {
    try {
      if (!deps.auditor) throw new Error('the auditor account is unknown');
      // Loaded only when enabled: its SDK client is a sixth of the handler's code (cold start, issue 14).
      const { sendToSecurityHub } = await import('./security-hub.ts');
      securityHub = await sendToSecurityHub(report, await deps.clients.securityhub(deps.region), {
        ...deps.auditor,
        region: deps.region,
      });
    } catch (error) {
      securityHubError = error;
      securityHub = { error: message(error) };
    }
    // Imported but for some: the outcome says how many went in, and the run fails for the rest.
    const refused = securityHub && 'failed' in securityHub ? securityHub.failed : [];
    if (refused.length > 0) {
      log.warn('Security Hub refused findings twice', { failed: refused.slice(0, 20) });
      securityHubError = new Error(
        `${refused.length} finding(s) refused by BatchImportFindings, e.g. ${refused[0]?.code}: ${refused[0]?.message}`,
      );
    }
  }

  let metrics: PublishOutcome['metrics'];
  let metricsError: unknown;
  const alertMetrics: AlertOutcomeForMetrics | undefined =
    alerts.status === 'not-configured'
      ? undefined
      : { messages: alerts.messages, delivered: alerts.status !== 'failed' };
  try {
    const data = buildMetricData(report, { perAccount: config.metricsPerAccount, alerts: alertMetrics });
    metrics = await sendMetricData(deps.clients.cloudwatch(deps.region), config.metricsNamespace, data);
  } catch (error) {
    metricsError = error;
    metrics = { error: message(error) };
  }

  const outcome: PublishOutcome = {
    metrics,
    alerts,
    ...(securityHub ? { securityHub } : {}),
    ...(reports ? { reports } : {}),
  };
  if (
    alertError !== undefined ||
    metricsError !== undefined ||
    securityHubError !== undefined ||
    reportsError !== undefined
  ) {
    const reasons = [
      reportsError !== undefined
        ? `reports not stored in ${config.reportBucket}: ${message(reportsError)}`
        : '',
      alertError !== undefined ? `alerts not delivered: ${alerts.error ?? message(alertError)}` : '',
      metricsError !== undefined ? `metrics not sent: ${message(metricsError)}` : '',
      securityHubError !== undefined ? `Security Hub: ${message(securityHubError)}` : '',
    ].filter(Boolean);
    throw new PublishError(
      `publishing failed: ${reasons.join('; ')}`,
      outcome,
      alertError ?? metricsError ?? securityHubError ?? reportsError,
    );
  }
  return outcome;
}

/**
 * Transitions whose claim could not be written were not sent: the run fails (so the Lambda retries) after
 * everything it claimed was sent and confirmed, and its retry sends exactly those.
 */
function failed(outcome: AlertOutcome, unclaimed: number, cause: unknown): never {
  outcome.status = 'failed';
  outcome.undelivered = Math.max(outcome.undelivered, unclaimed);
  outcome.error =
    `${unclaimed} transition(s) could not be claimed in the alert state (${message(cause)}); ` +
    'left for the next run';
  throw new AlertDeliveryError(outcome, cause);
}

class AlertDeliveryError extends Error {
  readonly outcome: AlertOutcome;
  constructor(outcome: AlertOutcome, cause: unknown) {
    super(outcome.error, { cause });
    this.outcome = outcome;
  }
}

function message(error: unknown): string {
  const e = error as { name?: string; message?: string };
  const text = (e?.message ?? String(error)).split('\n')[0] ?? '';
  return e?.name && e.name !== 'Error' && !text.startsWith(e.name) ? `${e.name}: ${text}` : text;
}

function topicRegion(topicArn: string): string {
  const region = topicArn.split(':')[3];
  if (!region) throw new Error(`not a topic ARN: ${topicArn}`);
  return region;
}

async function sendAlerts(
  report: Report,
  config: AuditConfig,
  deps: PublishDeps,
  log: PublishLog,
  reports: StoredReports | undefined,
): Promise<AlertOutcome> {
  const topicArn = config.alertTopicArn as string;
  const store =
    deps.store ??
    new DynamoAlertStateStore(deps.clients.dynamodb(deps.region), config.alertStateTable as string);
  const policy: AlertPolicy = {
    minSeverity: config.alertMinSeverity,
    reminderDays: config.alertReminderDays,
  };
  const now = deps.now();
  const limit = pLimit(WRITE_CONCURRENCY);

  const plan = planAlerts(report, await store.load(), policy, { now });
  const outcome: AlertOutcome = {
    status: 'unchanged',
    messages: 0,
    delivered: { ...NONE },
    undelivered: 0,
    lostToOtherRuns: 0,
    skipped: plan.skipped,
  };
  // Refreshes only keep stored text current; one that fails is tried again next run.
  await Promise.all(
    plan.refreshes.map((refresh) =>
      limit(() =>
        store.refresh(refresh).catch((error: unknown) => {
          log.warn('alert state: could not refresh a finding', {
            findingId: refresh.finding.id,
            error: message(error),
          });
          return false;
        }),
      ),
    ),
  );
  if (plan.transitions.length === 0) return outcome;

  const digestId = (deps.newDigestId ?? randomUUID)();
  outcome.digestId = digestId;
  const claim = { digestId, expiresAt: new Date(now.getTime() + CLAIM_TTL_MS).toISOString() };
  const versions = new Map<string, number>();
  // Each claim on its own: one write failing must not abandon the claims already taken (they would block the
  // Lambda's retry until they expire) nor the transitions still to claim.
  const claims = await Promise.allSettled(
    plan.transitions.map((t) =>
      limit(async () => {
        const version = await store.claim({
          kind: t.kind,
          finding: t.finding,
          expectedVersion: t.expectedVersion,
          claim: { ...claim, kind: t.kind },
          now,
        });
        if (version === null) outcome.lostToOtherRuns++;
        else versions.set(t.finding.id, version);
      }),
    ),
  );
  const unclaimed = plan.transitions.filter((_, index) => claims[index]?.status === 'rejected');
  const claimFailure = claims.find((result) => result.status === 'rejected')?.reason as unknown;
  // A claim whose answer was lost may still have been written: release it, conditionally on our digest, so the
  // retry finds the item free. Where it was not written, the condition fails and nothing changes.
  await Promise.allSettled(
    unclaimed.map((t) =>
      limit(() =>
        store.release({ findingId: t.finding.id, version: (t.expectedVersion ?? 0) + 1, digestId }),
      ),
    ),
  );
  const claimed = plan.transitions.filter((t) => versions.has(t.finding.id));
  if (claimed.length === 0) {
    if (claimFailure === undefined) return outcome;
    return failed(outcome, unclaimed.length, claimFailure);
  }

  const parts = splitDigest({ digestId, report, policy, ...(reports ? { reports } : {}) }, claimed);
  const sns = deps.clients.sns(topicRegion(topicArn));
  const delivered: DigestPart[] = [];
  let failure: unknown;
  for (const part of parts) {
    try {
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: part.subject,
          Message: part.message,
          MessageStructure: 'json',
          MessageAttributes: part.attributes,
        }),
      );
      delivered.push(part);
    } catch (error) {
      failure = error;
      break;
    }
  }

  const sent = new Set(delivered.flatMap((p) => p.transitions.map((t) => t.finding.id)));
  const settle = (t: Transition) =>
    limit(async () => {
      const version = versions.get(t.finding.id) as number;
      try {
        if (sent.has(t.finding.id)) {
          const ok = await store.confirm({
            kind: t.kind,
            findingId: t.finding.id,
            version,
            digestId,
            now,
            observedAt: report.startedAt,
          });
          if (!ok)
            log.warn('alert state: a delivered transition was claimed again meanwhile', {
              findingId: t.finding.id,
            });
        } else {
          await store.release({ findingId: t.finding.id, version, digestId });
        }
      } catch (error) {
        // The claim stays and expires: a delivered transition is then sent once more (at least once), an
        // undelivered one is sent by the next run. Never lost.
        log.warn('alert state: could not record a transition; its claim will expire', {
          findingId: t.finding.id,
          delivered: sent.has(t.finding.id),
          error: message(error),
        });
      }
    });
  await Promise.all(claimed.map(settle));

  outcome.messages = delivered.length;
  for (const t of claimed) if (sent.has(t.finding.id)) outcome.delivered[t.kind]++;
  outcome.undelivered = claimed.length - sent.size + unclaimed.length;
  if (failure === undefined && claimFailure !== undefined) {
    outcome.messages = delivered.length;
    return failed(outcome, unclaimed.length, claimFailure);
  }
  if (failure !== undefined) {
    outcome.status = 'failed';
    outcome.error =
      `${parts.length - delivered.length} of ${parts.length} SNS message(s) not accepted after retries ` +
      `(${message(failure)}); ${outcome.undelivered} transition(s) left for the next run`;
    throw new AlertDeliveryError(outcome, failure);
  }
  outcome.status = 'sent';
  return outcome;
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

/** One line for people: what was sent. */
export function describeOutcome(outcome: PublishOutcome): string {
  const metrics =
    'error' in outcome.metrics
      ? `metrics failed (${outcome.metrics.error})`
      : `${outcome.metrics.datums} metric data points in ${outcome.metrics.calls} PutMetricData call(s)`;
  const a = outcome.alerts;
  const alerts =
    a.status === 'not-configured'
      ? a.reason
        ? 'alerts not sent (see the warning)'
        : 'no alerts (no topic configured)'
      : a.status === 'unchanged'
        ? 'no alert: nothing changed since the last notification'
        : `${a.status === 'failed' ? 'alerts failed: ' : ''}${a.messages} SNS message(s) with ${a.delivered.new} new, ` +
          `${a.delivered.resolved} resolved, ${a.delivered.reminder} reminder(s)` +
          (a.undelivered > 0 ? `, ${a.undelivered} left for the next run` : '');
  const hub = outcome.securityHub;
  const securityHub =
    hub === undefined
      ? ''
      : 'error' in hub
        ? `; Security Hub failed (${hub.error})`
        : `; Security Hub: ${hub.imported} finding(s) imported, ${hub.archived} archived as resolved`;
  const stored = outcome.reports;
  const reports =
    stored === undefined
      ? ''
      : 'error' in stored
        ? `; reports not stored (${stored.error})`
        : `; reports in ${stored.html.s3Uri.replace(/report\.html$/, '')}`;
  return `${metrics}; ${alerts}${securityHub}${reports}`;
}
