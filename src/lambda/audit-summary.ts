import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { auditedNothing } from '../report/coverage.ts';
import { fitLambdaResponse } from '../report/response.ts';
import type { Report } from '../report/types.ts';
import type { BudgetedContext } from './time-budget.ts';

/**
 * After the handler returned its report: shortens it to fit Lambda's response limit and logs one line saying how
 * the audit went (duration, whether the budget stopped it, findings and audit errors by stage, report size). A run
 * that read no account logs that as an error: its report has no findings to speak of, and it is no success (its
 * metrics withhold the heartbeat too, src/publish/metrics.ts).
 */
export function auditSummary(
  logger: Logger,
  responseLimitBytes?: number,
): MiddlewareObj<unknown, Report, Error, Context> {
  const startedAt = new WeakMap<object, number>();
  return {
    name: 'auditSummary',
    before: (request) => {
      startedAt.set(request.context, Date.now());
    },
    after: (request) => {
      if (!request.response) return;
      const { report, fullBytes, bytes } = fitLambdaResponse(request.response, responseLimitBytes);
      const errorsByStage: Record<string, number> = {};
      for (const error of report.errors) errorsByStage[error.stage] = (errorsByStage[error.stage] ?? 0) + 1;
      const coverage = report.summary.coverage;
      const nothing = auditedNothing(coverage);
      logger.info('audit finished', {
        audited: nothing ? 'nothing' : coverage.percent < 100 ? 'partly' : 'everything',
        durationMs: Date.now() - (startedAt.get(request.context) ?? Date.now()),
        stoppedByBudget: (request.context as Partial<BudgetedContext>).timeBudget?.signal.aborted ?? false,
        summary: report.summary,
        errors: report.summary.errors,
        errorsByStage,
        reportBytes: fullBytes,
      });
      if (nothing) {
        logger.error('audit failed: coverage 0%, no account × region pair could be read', {
          blindAccounts: coverage.blindAccounts.slice(0, 20),
          errorsByStage,
        });
      }
      if (report.omitted) {
        logger.warn('report shortened to fit the 6 MB Lambda response limit', {
          reportBytes: fullBytes,
          responseBytes: bytes,
          omitted: report.omitted.sections,
        });
      }
      request.response = report;
    },
  };
}
