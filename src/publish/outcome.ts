// What publishing did, as the Lambda's response, its logs and the CLI tell it: each part's outcome, and the one
// error thrown when any part failed, after everything that could be published was.

import type { SentMetrics } from './metrics.ts';
import type { StoredReports } from './report-store.ts';
import type { SecurityHubOutcome } from './security-hub.ts';

type AlertStatus = 'sent' | 'unchanged' | 'failed' | 'not-configured';

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

/** No message sent: nothing to send, or no alerting configured. */
export function noAlerts(status: 'unchanged' | 'not-configured'): AlertOutcome {
  return {
    status,
    messages: 0,
    delivered: { new: 0, resolved: 0, reminder: 0 },
    undelivered: 0,
    lostToOtherRuns: 0,
  };
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
