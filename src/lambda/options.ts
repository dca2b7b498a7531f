import type { Logger } from '@aws-lambda-powertools/logger';
import type { AuditDeps } from '../audit.ts';
import type { AuditConfig } from '../config/schema.ts';
import type { PublishDeps, PublishLog } from '../publish/index.ts';

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
  /** How long before the Lambda deadline the audit stops, given the time left at start. */
  budgetMarginMs?: (remainingMs: number) => number;
  /** Largest response the handler returns (Lambda's 6 MB); a larger report is shortened to fit. */
  responseLimitBytes?: number;
}
