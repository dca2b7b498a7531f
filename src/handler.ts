import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type AuditDeps, runAudit } from './audit.ts';
import { inputFromEnv } from './config/env.ts';
import { ConfigError } from './config/errors.ts';
import { inputFromEvent } from './config/event.ts';
import { limitToConfiguredScope } from './config/manual-scope.ts';
import { mergeInputs, resolveConfig } from './config/resolve.ts';
import type { AuditConfig } from './config/schema.ts';
import { defaultDeps } from './deps.ts';
import { describeProgress, periodicProgress } from './progress-log.ts';
import {
  defaultPublishDeps,
  describeOutcome,
  type PublishDeps,
  PublishError,
  type PublishLog,
  publishReport,
} from './publish/index.ts';
import { type FittedReport, fitLambdaResponse } from './report/response.ts';
import type { Report } from './report/types.ts';
import { tuneHeapForAudit } from './runtime/heap.ts';
import { defaultBudgetMarginMs, startTimeBudget } from './runtime/time-budget.ts';

// The Lambda entry: event → config → runAudit → publish → report. No business logic lives here.

export type MakeDeps = (
  config: AuditConfig,
  env: Record<string, string | undefined>,
  extra: Pick<AuditDeps, 'signal' | 'onProgress'>,
) => AuditDeps;

export type MakePublishDeps = (
  config: AuditConfig,
  env: Record<string, string | undefined>,
  log: PublishLog,
  /** Fires just before the invocation's deadline: publish calls in flight are aborted. */
  signal: AbortSignal,
) => PublishDeps;

export interface HandlerOptions {
  /** The audit's edges (AWS clients, TLS prober, clock); tests replace them. */
  makeDeps?: MakeDeps;
  /** The publish step's edges (CloudWatch, SNS, DynamoDB clients, clock); tests replace them. */
  makePublishDeps?: MakePublishDeps;
  /** Read at each invocation, so a warm container sees the environment it runs with. */
  env?: () => Record<string, string | undefined>;
  logger?: Logger;
  /** How long before the Lambda deadline the audit stops starting new work, given the time left at start. */
  budgetMarginMs?: (remainingMs: number) => number;
  /** Largest response the handler returns (Lambda's 6 MB); a larger report is shortened to fit. */
  responseLimitBytes?: number;
}

export { defaultBudgetMarginMs };

export function createHandler(options: HandlerOptions = {}) {
  const makeDeps = options.makeDeps ?? defaultDeps;
  const makePublishDeps: MakePublishDeps =
    options.makePublishDeps ??
    ((config, env, log, signal) =>
      defaultPublishDeps(env, log, {
        connectTimeoutMs: config.awsConnectTimeoutMs,
        requestTimeoutMs: config.awsRequestTimeoutMs,
        signal,
      }));
  const readEnv = options.env ?? (() => process.env);
  const logger =
    options.logger ?? new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'eks-oidc-auditor' });
  const marginOf = options.budgetMarginMs ?? defaultBudgetMarginMs;

  const audit = async (event: unknown, context: Context): Promise<Report> => {
    const env = readEnv();
    let config: AuditConfig;
    let dryRun: boolean;
    try {
      // The event first: a bad event is the caller's mistake and is named as such, whatever the environment.
      const fromEvent = inputFromEvent(event);
      dryRun = fromEvent.dryRun;
      const configured = inputFromEnv(env);
      limitToConfiguredScope(configured, fromEvent.input);
      const input = mergeInputs(configured, fromEvent.input, dryRun ? { publish: false } : {});
      config = resolveConfig(fromEvent.trigger, input);
    } catch (error) {
      if (error instanceof ConfigError)
        logger.error('invalid input: nothing was audited', { reason: error.message });
      throw error;
    }

    const budget = startTimeBudget(remainingMsOf(context), marginOf);
    const startedAt = Date.now();
    logger.info('audit starting', {
      trigger: config.trigger,
      dryRun,
      publish: config.publish,
      accounts: config.accounts.kind === 'list' ? config.accounts.ids : config.accounts.kind,
      regions: config.regions,
      budgetMs: budget.budgetMs,
    });
    try {
      const onProgress = periodicProgress((line) =>
        logger.info('audit progress', { ...line, summary: describeProgress(line) }),
      );
      const { report, coverage } = await runAudit(
        config,
        makeDeps(config, env, { signal: budget.signal, onProgress }),
      );
      await publish(config, report, logger, () => ({
        ...makePublishDeps(config, env, publishLog(logger), budget.publishSignal),
        ...(coverage ? { coverage } : {}),
      }));
      const response = fitLambdaResponse(report, options.responseLimitBytes);
      logSummary(logger, response, {
        durationMs: Date.now() - startedAt,
        stoppedByBudget: budget.signal.aborted,
      });
      return response.report;
    } catch (error) {
      // A publish failure was logged as such; the audit itself did not fail.
      if (!(error instanceof PublishError)) {
        logger.error('audit failed', { durationMs: Date.now() - startedAt, error: error as Error });
      }
      throw error;
    } finally {
      budget.dispose();
    }
  };

  // Middy's own early time-out is off: it races the handler and answers with an error instead of the report.
  // Our budget stops the audit (calls in flight aborted) and then publishing before the deadline, so the report
  // of what was reached still comes back.
  return middy<unknown, Report>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(audit);
}

function remainingMsOf(context: Context): number | undefined {
  return typeof context?.getRemainingTimeInMillis === 'function'
    ? context.getRemainingTimeInMillis()
    : undefined;
}

/**
 * The publish step: alerts (with their state) and metrics, unless this is a dry run. When alerts or metrics
 * cannot be sent after retries, the invocation fails (after sending what could be sent), so that Lambda retries
 * it and then hands it to the on-failure destination; the alert state keeps a retry from alerting twice.
 */
async function publish(
  config: AuditConfig,
  report: Report,
  logger: Logger,
  deps: () => PublishDeps,
): Promise<void> {
  if (!config.publish) {
    logger.info('publish skipped (dryRun): no metrics or alerts sent');
    return;
  }
  try {
    const outcome = await publishReport(report, config, deps());
    logger.info('published', {
      summary: describeOutcome(outcome),
      metrics: outcome.metrics,
      alerts: outcome.alerts,
    });
  } catch (error) {
    if (error instanceof PublishError) {
      logger.error('publish failed: the invocation fails so that it is retried', {
        summary: describeOutcome(error.outcome),
        metrics: error.outcome.metrics,
        alerts: error.outcome.alerts,
        error,
      });
    }
    throw error;
  }
}

function publishLog(logger: Logger): PublishLog {
  return {
    info: (message, data) => logger.info(message, data ?? {}),
    warn: (message, data) => logger.warn(message, data ?? {}),
  };
}

function logSummary(
  logger: Logger,
  { report, fullBytes, bytes }: FittedReport,
  run: { durationMs: number; stoppedByBudget: boolean },
): void {
  const errorsByStage: Record<string, number> = {};
  for (const error of report.errors) errorsByStage[error.stage] = (errorsByStage[error.stage] ?? 0) + 1;
  logger.info('audit finished', {
    durationMs: run.durationMs,
    stoppedByBudget: run.stoppedByBudget,
    summary: report.summary,
    errors: report.summary.errors,
    errorsByStage,
    reportBytes: fullBytes,
  });
  if (report.omitted) {
    logger.warn('report shortened to fit the 6 MB Lambda response limit', {
      reportBytes: fullBytes,
      responseBytes: bytes,
      omitted: report.omitted.sections,
    });
  }
}

tuneHeapForAudit();
export const handler = createHandler();
