import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { startTimeBudget, type TimeBudget } from '../runtime/time-budget.ts';

/** The Lambda context with the invocation's time budget, as timeBudget() leaves it for the handler. */
export interface BudgetedContext extends Context {
  timeBudget: TimeBudget;
}

/**
 * Starts the invocation's time budget from the time Lambda says is left (src/runtime/time-budget.ts) and
 * disposes of it however the invocation ends. Middy's own early time-out stays off: it would answer with an
 * error instead of the report of what was reached.
 */
export function timeBudget(
  marginOf: (remainingMs: number) => number,
): MiddlewareObj<unknown, unknown, Error, Context> {
  const dispose = ({ context }: { context: Context }) =>
    (context as Partial<BudgetedContext>).timeBudget?.dispose();
  return {
    name: 'timeBudget',
    before: ({ context }) => {
      const remaining =
        typeof context?.getRemainingTimeInMillis === 'function'
          ? context.getRemainingTimeInMillis()
          : undefined;
      (context as BudgetedContext).timeBudget = startTimeBudget(remaining, marginOf);
    },
    after: dispose,
    onError: dispose,
  };
}
