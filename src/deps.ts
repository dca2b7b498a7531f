import { readFile } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { AuditDeps } from './audit.ts';
import { createAwsClients, createPublishClients } from './clients/aws.ts';
import { ConfigError } from './config/errors.ts';
import type { SuppressionSource } from './config/input.ts';
import type { AuditConfig } from './config/schema.ts';
import type { Suppressions } from './config/suppressions.ts';
import { createIssuerProber } from './inventory/issuer-probe.ts';
import { DynamoCoverageMemory } from './publish/coverage-memory.ts';
import { defaultPublishDeps, type PublishDeps, type PublishLog } from './publish/index.ts';
import { heapPolicy } from './runtime/heap.ts';

/** The real edges, as the Lambda and the CLI use them. Tests build their own AuditDeps. */
export function defaultDeps(
  config: AuditConfig,
  env: Record<string, string | undefined>,
  extra: Pick<AuditDeps, 'signal' | 'onProgress'> = {},
): AuditDeps {
  const homeRegion = homeRegionOf(config, env);
  const profile = profileInUse(config, env);
  const clients = createAwsClients({
    maxAttempts: config.maxAttempts,
    connectTimeoutMs: config.awsConnectTimeoutMs,
    requestTimeoutMs: config.awsRequestTimeoutMs,
    signal: extra.signal,
    profile: config.profile,
  });
  return {
    clients,
    prober: createIssuerProber({
      connectTo: config.connectTo,
      timeoutMs: config.probeTimeoutMs,
      concurrency: Math.min(config.concurrency, 32),
    }),
    now: () => new Date(),
    homeRegion,
    ...(profile ? { profile } : {}),
    heap: heapPolicy,
    ...(config.suppressions
      ? {
          loadSuppressions: () =>
            loadSuppressions(config.suppressions as SuppressionSource, {
              ssm: () => clients.ssm(homeRegion),
              s3: () => clients.s3(homeRegion),
            }),
        }
      : {}),
    ...(config.alertStateTable
      ? {
          coverageMemory: new DynamoCoverageMemory(
            createPublishClients({
              connectTimeoutMs: config.awsConnectTimeoutMs,
              requestTimeoutMs: config.awsRequestTimeoutMs,
              signal: extra.signal,
              profile: config.profile,
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
  return defaultPublishDeps(homeRegionOf(config, env), log, {
    connectTimeoutMs: config.awsConnectTimeoutMs,
    requestTimeoutMs: config.awsRequestTimeoutMs,
    signal,
    profile: config.profile,
  });
}

/** --region, else the SDK's variables, else us-east-1: where the calls that are about no audited region go. */
function homeRegionOf(config: AuditConfig, env: Record<string, string | undefined>): string {
  return config.homeRegion || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
}

/** The named profile the credentials come from, as the SDK picks it (--profile, else AWS_PROFILE), if any. */
function profileInUse(config: AuditConfig, env: Record<string, string | undefined>): string | undefined {
  return config.profile ?? (env.AWS_PROFILE || undefined);
}

/**
 * The accepted risks, from the CLI's file or the Lambda's SSM parameter or S3 object. Unreadable or malformed, the
 * audit does not start: a run without the mutes its owners rely on would alert on every accepted risk.
 */
async function loadSuppressions(
  source: SuppressionSource,
  clients: { ssm: () => Promise<SSMClient>; s3: () => Promise<S3Client> },
): Promise<Suppressions> {
  // Loaded here, not with the handler: only runs with accepted risks parse YAML (src/clients/aws.ts, cold start).
  const { parseSuppressions } = await import('./config/suppressions.ts');
  if (source.kind === 'file') {
    const text = await readFile(source.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new ConfigError(`--suppressions ${source.path}: ${unreadableFile(error)}`);
    });
    return parseSuppressions(text, source.path);
  }
  // The run's clients: their time-outs, retries and time budget apply to this read like to any other.
  if (source.kind === 's3') {
    const uri = `s3://${source.bucket}/${source.key}`;
    const [{ GetObjectCommand }, client] = await Promise.all([import('@aws-sdk/client-s3'), clients.s3()]);
    const text = await client
      .send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key }))
      .then((object) => object.Body?.transformToString('utf8'))
      .catch(unreadable(`suppressions object ${uri}`));
    if (text === undefined) throw new ConfigError(`suppressions object ${uri}: it has no body`);
    return parseSuppressions(text, uri);
  }
  const [{ GetParameterCommand }, client] = await Promise.all([import('@aws-sdk/client-ssm'), clients.ssm()]);
  const { Parameter } = await client
    .send(new GetParameterCommand({ Name: source.name, WithDecryption: true }))
    .catch(unreadable(`suppressions parameter ${source.name}`));
  if (Parameter?.Value === undefined)
    throw new ConfigError(`suppressions parameter ${source.name}: it has no value`);
  return parseSuppressions(Parameter.Value, `parameter ${source.name}`);
}

/** Why a file could not be read, in words rather than an errno code. */
function unreadableFile(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file; expected the path of a YAML file of accepted risks (docs/suppressions.md)';
    case 'EACCES':
    case 'EPERM':
      return 'not allowed to read this file';
    case 'EISDIR':
      return 'a directory; expected a YAML file';
    default:
      return `could not be read (${error.message})`;
  }
}

/** A read of the accepted risks that failed, as the ConfigError that stops the run: what, and AWS's error. */
function unreadable(what: string): (error: unknown) => never {
  return (error) => {
    const name = (error as { name?: string }).name ?? 'Error';
    throw new ConfigError(`${what} could not be read: ${name}: ${(error as Error).message}`);
  };
}
