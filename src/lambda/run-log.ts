import type { Logger } from '@aws-lambda-powertools/logger';
import type { AuditConfig } from '../config/schema.ts';
import { describeOutcome, type PublishLog, type PublishOutcome } from '../publish/index.ts';

/** The publish step's own log lines, as structured Lambda logs. */
export function publishLog(logger: Logger): PublishLog {
  return {
    info: (message, data) => logger.info(message, data ?? {}),
    warn: (message, data) => logger.warn(message, data ?? {}),
  };
}

/** What was sent, or why nothing was: one line a person reads in the function's logs. */
export function logPublished(logger: Logger, published: PublishOutcome | undefined): void {
  if (!published) {
    logger.info('publish skipped (dryRun): no metrics or alerts sent');
    return;
  }
  logger.info('published', {
    summary: describeOutcome(published),
    metrics: published.metrics,
    alerts: published.alerts,
  });
}

/** Publishing failed after retries: the invocation fails so that Lambda retries it. */
export function logPublishFailed(logger: Logger, outcome: PublishOutcome, error: Error): void {
  logger.error('publish failed: the invocation fails so that it is retried', {
    summary: describeOutcome(outcome),
    metrics: outcome.metrics,
    alerts: outcome.alerts,
    error,
  });
}

/** What this invocation is about to audit, and how long it has. */
export function logAuditStarting(
  logger: Logger,
  config: AuditConfig,
  dryRun: boolean,
  budgetMs: number | undefined,
): void {
  const { accounts, regions, trigger, publish } = config;
  const scope = accounts.kind === 'list' ? accounts.ids : accounts.kind;
  logger.info('audit starting', { trigger, dryRun, publish, accounts: scope, regions, budgetMs });
}
