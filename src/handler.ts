import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { ConfigError } from './config/errors.ts';
import { configFromEvent } from './config/lambda-event.ts';
import { defaultDeps, defaultPublishDepsFor } from './deps.ts';
import { auditSummary } from './lambda/audit-summary.ts';
import type { HandlerOptions } from './lambda/options.ts';
import { logAuditStarting, logPublished, logPublishFailed, publishLog } from './lambda/run-log.ts';
import { type BudgetedContext, timeBudget } from './lambda/time-budget.ts';
import { runPipeline } from './pipeline.ts';
import { describeProgress, periodicProgress } from './progress-log.ts';
import { PublishError } from './publish/index.ts';
import type { Report } from './report/types.ts';
import { tuneHeapForAudit } from './runtime/heap.ts';
import { defaultBudgetMarginMs, type TimeBudget } from './runtime/time-budget.ts';

// The Lambda entry: event → config → the pipeline → report. The time budget and the closing summary (with the
// response fitted to Lambda's limit) are middlewares; no business logic lives here.

export type { HandlerOptions, MakeDeps, MakePublishDeps } from './lambda/options.ts';
export { defaultBudgetMarginMs };

/** The service's logger, as Powertools names it from the function's environment. */
function serviceLogger(): Logger {
  return new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'eks-oidc-auditor' });
}

/** A Lambda handler chain with the invocation's context on its logs and its time budget on the context. */
function budgeted<I, O>(logger: Logger, marginOf: (remainingMs: number) => number) {
  return middy<I, O>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(timeBudget(marginOf));
}

export function createHandler(options: HandlerOptions = {}) {
  const {
    makeDeps = defaultDeps,
    makePublishDeps = defaultPublishDepsFor,
    env: readEnv = () => process.env,
  } = options;
  const logger = options.logger ?? serviceLogger();

  const audit = async (event: unknown, context: Context): Promise<Report> => {
    const env = readEnv();
    let parsed: ReturnType<typeof configFromEvent>;
    try {
      parsed = configFromEvent(event, env);
    } catch (error) {
      if (error instanceof ConfigError)
        logger.error('invalid input: nothing was audited', { reason: error.message });
      throw error;
    }
    const { config, dryRun } = parsed;
    const budget = (context as BudgetedContext).timeBudget;
    logAuditStarting(logger, config, dryRun, budget.budgetMs);
    const onProgress = periodicProgress((line) =>
      logger.info('audit progress', { ...line, summary: describeProgress(line) }),
    );
    try {
      const { report, published } = await runPipeline(config, {
        audit: makeDeps(config, env, { signal: budget.signal, onProgress }),
        publish: () => makePublishDeps(config, env, publishLog(logger), budget.publishSignal),
      });
      logPublished(logger, published);
      return report;
    } catch (error) {
      if (error instanceof PublishError) logPublishFailed(logger, error.outcome, error);
      else logger.error('audit failed', { error: error as Error });
      throw error;
    }
  };

  return budgeted<unknown, Report>(logger, options.budgetMarginMs ?? defaultBudgetMarginMs)
    .use(auditSummary(logger, options.responseLimitBytes))
    .handler(audit);
}

tuneHeapForAudit();
export const handler = createHandler();

// The fan-out's steps (src/lambda/fan-out.ts, docs/fan-out.md) are functions of this same bundle, so that the
// zip holds one set of chunks; each loads its code on first use, and the audit function never does. Each runs
// under the time budget of its invocation, as the audit does.
type FanOut = typeof import('./lambda/fan-out.ts');
type FanOutSteps = import('./lambda/fan-out.ts').FanOutSteps;
const fanOutLogger = serviceLogger();
let fanOutSteps: Promise<FanOutSteps> | undefined;

function budgetedStep<I, O>(step: (steps: FanOutSteps, input: I, budget: TimeBudget) => Promise<O>) {
  return budgeted<I, O>(fanOutLogger, defaultBudgetMarginMs).handler(async (input, context) => {
    fanOutSteps ??= import('./lambda/fan-out.ts').then((module: FanOut) =>
      module.defaultFanOutSteps(fanOutLogger),
    );
    return step(await fanOutSteps, input, (context as BudgetedContext).timeBudget);
  });
}

export const plan = budgetedStep((steps, event: unknown, budget) => steps.plan(event, budget));
export const shard = budgetedStep((steps, input: Parameters<FanOutSteps['shard']>[0], budget) =>
  steps.shard(input, budget),
);
export const merge = budgetedStep((steps, input: Parameters<FanOutSteps['merge']>[0], budget) =>
  steps.merge(input, budget),
);
