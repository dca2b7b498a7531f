// One time budget for the Lambda (its deadline) and the CLI (--time-limit): the audit stops at `budgetMs`, with a
// margin kept back for the checks, the report and publishing; publishing itself is cut off just before the
// deadline, so that a hung endpoint costs a failed publish, never the whole invocation.

export interface TimeBudget {
  /** Fires when the audit must stop: calls in flight are aborted, queued ones never sent. */
  signal: AbortSignal;
  /** Fires just before the deadline: publish calls still in flight are aborted. */
  publishSignal: AbortSignal;
  /** Undefined when there is no deadline (then nothing is cut short). */
  budgetMs: number | undefined;
  dispose: () => void;
}

/**
 * Time kept back for what is already in flight (issuer probes), the checks, the report and publishing: 10% of the
 * time left, but at least 30 s, and never more than half of what is left (short deadlines, tests).
 */
export function defaultBudgetMarginMs(remainingMs: number): number {
  return Math.max(remainingMs * 0.1, Math.min(30_000, remainingMs * 0.5));
}

const NO_DEADLINE: Omit<TimeBudget, 'dispose'> = {
  signal: new AbortController().signal,
  publishSignal: new AbortController().signal,
  budgetMs: undefined,
};

/** Starts the clock on `remainingMs` (undefined: no deadline). */
export function startTimeBudget(
  remainingMs: number | undefined,
  marginOf: (remainingMs: number) => number = defaultBudgetMarginMs,
): TimeBudget {
  if (remainingMs === undefined || !Number.isFinite(remainingMs))
    return { ...NO_DEADLINE, dispose: () => {} };
  const margin = marginOf(remainingMs);
  const budgetMs = Math.max(0, Math.floor(remainingMs - margin));
  // Publishing gets the margin but the last 2 s (or half the margin), so the run still ends before its deadline.
  const publishMs = Math.max(budgetMs, Math.floor(remainingMs - Math.min(2_000, margin / 2)));
  const audit = new AbortController();
  const publish = new AbortController();
  const timers = [
    after(budgetMs, () =>
      audit.abort(
        new Error('time budget: the audit stopped before its deadline; what was not read is reported'),
      ),
    ),
    after(publishMs, () =>
      publish.abort(new Error('time budget: publishing ran out of time before the deadline')),
    ),
  ];
  return {
    signal: audit.signal,
    publishSignal: publish.signal,
    budgetMs,
    dispose: () => {
      for (const timer of timers) clearTimeout(timer);
    },
  };
}

/** Runs `run` after `ms`; at once when no time is left, so that no work starts at all. */
function after(ms: number, run: () => void): NodeJS.Timeout | undefined {
  if (ms <= 0) {
    run();
    return undefined;
  }
  const timer = setTimeout(run, ms);
  timer.unref();
  return timer;
}
