// The handler's cross-cutting concerns, each a small middy middleware run here on a handler of its own.
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { auditSummary } from '../../src/lambda/audit-summary.ts';
import { type BudgetedContext, timeBudget } from '../../src/lambda/time-budget.ts';
import type { Report } from '../../src/report/types.ts';
import { aFinding, aReport } from '../publish/support.ts';

function contextWith(remainingMs?: number): Context {
  return {
    functionName: 'audit',
    awsRequestId: 'r-1',
    ...(remainingMs === undefined ? {} : { getRemainingTimeInMillis: () => remainingMs }),
  } as unknown as Context;
}

function quietLogger(): Logger {
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  vi.spyOn(logger, 'info');
  vi.spyOn(logger, 'warn');
  return logger;
}

describe('timeBudget', () => {
  it.each([
    { name: 'a 900 s Lambda keeps 90 s back', remainingMs: 900_000, budgetMs: 810_000, aborted: false },
    {
      name: 'a 40 s Lambda keeps 20 s back (half, under the 30 s floor)',
      remainingMs: 40_000,
      budgetMs: 20_000,
      aborted: false,
    },
    { name: 'no time left starts no work', remainingMs: 0, budgetMs: 0, aborted: true },
    {
      name: 'a context without a deadline cuts nothing short',
      remainingMs: undefined,
      budgetMs: undefined,
      aborted: false,
    },
  ])('gives the handler its budget: $name', async ({ remainingMs, budgetMs, aborted }) => {
    // Prepare
    let seen: BudgetedContext['timeBudget'] | undefined;
    const handler = middy(async (_event: unknown, context: Context) => {
      seen = (context as BudgetedContext).timeBudget;
    }).use(timeBudget((remaining) => Math.max(remaining * 0.1, Math.min(30_000, remaining * 0.5))));

    // Act
    await handler({}, contextWith(remainingMs));

    // Assess
    expect(seen?.budgetMs).toBe(budgetMs);
    expect(seen?.signal.aborted).toBe(aborted);
  });
});

describe('auditSummary', () => {
  it('logs how the audit went and returns the report as it is when it fits', async () => {
    // Prepare
    const logger = quietLogger();
    const report = aReport({ findings: [aFinding('app')] });
    const handler = middy(async () => report).use(auditSummary(logger));

    // Act
    const response = (await handler({}, contextWith(60_000))) as Report;

    // Assess
    expect(response).toBe(report);
    const [message, data] = vi.mocked(logger.info).mock.calls[0] ?? [];
    expect(message).toBe('audit finished');
    expect(data).toMatchObject({ summary: report.summary, errors: 0, stoppedByBudget: false });
    expect((data as { reportBytes: number }).reportBytes).toBeGreaterThan(0);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('shortens a report over the response limit, and says so', async () => {
    // Prepare
    const logger = quietLogger();
    const report = aReport({ findings: Array.from({ length: 50 }, (_, i) => aFinding(`role-${i}`)) });
    const handler = middy(async () => report).use(auditSummary(logger, 4_000));

    // Act
    const response = (await handler({}, contextWith(60_000))) as Report;

    // Assess
    expect(response.omitted?.sections.findings).toBeGreaterThan(0);
    expect(response.summary).toEqual(report.summary);
    expect(vi.mocked(logger.warn).mock.calls[0]?.[0]).toBe(
      'report shortened to fit the 6 MB Lambda response limit',
    );
  });
});
