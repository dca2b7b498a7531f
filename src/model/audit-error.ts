import type { AuditError } from './inventory.ts';

/** The AWS error code as the SDK surfaces it (`AccessDenied`, `ThrottlingException`, …), else a Node code. */
export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { name, code, Code } = error as { name?: unknown; code?: unknown; Code?: unknown };
    for (const candidate of [Code, code, name]) {
      if (typeof candidate === 'string' && candidate !== '' && candidate !== 'Error') return candidate;
    }
  }
  return 'Error';
}

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() || 'no message';
}

export function auditError(
  accountId: string | null,
  region: string | null,
  stage: string,
  error: unknown,
): AuditError {
  return { accountId, region, stage, code: errorCode(error), message: errorMessage(error) };
}

// ---- the time budget's errors -------------------------------------------------------------------------

const NOT_STARTED = 'not started: the audit stopped starting new work before its deadline';

/**
 * Raised by the run's call limiter for a call still waiting for a slot when the time budget ran out: the call
 * is never sent, and the unit of work it belonged to is named as not reached.
 */
export class TimeBudgetExceeded extends Error {
  override readonly name = 'TimeBudgetExceeded';
  readonly code = 'TimeBudgetExceeded';
  constructor() {
    super(NOT_STARTED);
  }
}

/** What the time budget kept from being done: `time budget`, or `time budget (stage)` naming the stage. */
export function budgetError(
  accountId: string | null,
  region: string | null = null,
  stage?: string,
  message = NOT_STARTED,
): AuditError {
  const where = stage === undefined ? 'time budget' : `time budget (${stage})`;
  return { accountId, region, stage: where, code: 'TimeBudgetExceeded', message };
}

/**
 * Whether the time budget stopped this work: a call never sent (TimeBudgetExceeded), or one in flight aborted by
 * the budget's signal (the SDK's AbortError). A request time-out is not: it is the endpoint's failure.
 */
export function stoppedByBudget(error: unknown): boolean {
  return error instanceof TimeBudgetExceeded || (error as { name?: unknown } | null)?.name === 'AbortError';
}

/** What could not be done at `stage`: `time budget (stage)` when the budget stopped it, else the error itself. */
export function failureAt(
  accountId: string | null,
  region: string | null,
  stage: string,
  error: unknown,
): AuditError {
  if (stoppedByBudget(error)) return budgetError(accountId, region, stage);
  return auditError(accountId, region, stage, error);
}

// ---- an endpoint that does not answer ---------------------------------------------------------------------

/**
 * Raised by the run's call limiter, without sending the call, once a service in a region has let calls from
 * several accounts time out in a row (src/clients/region-breaker.ts): a regional outage, not one account's
 * network. The unit of work it belonged to is named as not read, like any failed call.
 */
export class RegionUnresponsive extends Error {
  override readonly name = 'RegionUnresponsive';
  readonly code = 'RegionUnresponsive';
  /** The calls that timed out in a row, and the accounts they came from, when the run stopped calling it. */
  readonly calls: number;
  readonly accounts: number;
  constructor(where: string, calls: number, accounts: number) {
    super(
      `${where} did not answer ${calls} calls in a row, from ${accounts} accounts; not called again this run`,
    );
    this.calls = calls;
    this.accounts = accounts;
  }
}
