import type { AuditDeps } from './audit.ts';
import { createAwsClients, createPublishClients } from './clients/aws.ts';
import type { AuditConfig } from './config/schema.ts';
import { createIssuerProber } from './inventory/issuer-probe.ts';
import { DynamoCoverageMemory } from './publish/coverage-memory.ts';
import { defaultPublishDeps, type PublishDeps, type PublishLog } from './publish/index.ts';

/** The real edges, as the Lambda and the CLI use them. Tests build their own AuditDeps. */
export function defaultDeps(
  config: AuditConfig,
  env: Record<string, string | undefined>,
  extra: Pick<AuditDeps, 'signal' | 'onProgress'> = {},
): AuditDeps {
  const homeRegion = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return {
    clients: createAwsClients({
      maxAttempts: config.maxAttempts,
      connectTimeoutMs: config.awsConnectTimeoutMs,
      requestTimeoutMs: config.awsRequestTimeoutMs,
      signal: extra.signal,
    }),
    prober: createIssuerProber({
      connectTo: config.connectTo,
      timeoutMs: config.probeTimeoutMs,
      concurrency: Math.min(config.concurrency, 32),
    }),
    now: () => new Date(),
    homeRegion,
    ...(config.alertStateTable
      ? {
          coverageMemory: new DynamoCoverageMemory(
            createPublishClients({
              connectTimeoutMs: config.awsConnectTimeoutMs,
              requestTimeoutMs: config.awsRequestTimeoutMs,
              signal: extra.signal,
            }).dynamodb(homeRegion),
            config.alertStateTable,
          ),
        }
      : {}),
    ...extra,
  };
}

/** The publish step's real edges, with the run's time-outs and the publish deadline's signal. */
export function defaultPublishDepsFor(
  config: AuditConfig,
  env: Record<string, string | undefined>,
  log: PublishLog,
  signal: AbortSignal,
): PublishDeps {
  return defaultPublishDeps(env, log, {
    connectTimeoutMs: config.awsConnectTimeoutMs,
    requestTimeoutMs: config.awsRequestTimeoutMs,
    signal,
  });
}
