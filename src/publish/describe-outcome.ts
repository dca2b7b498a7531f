import type { PublishOutcome } from './outcome.ts';

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
