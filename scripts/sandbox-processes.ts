// The auditor's two entry points run as real child processes against a local sandbox: the Lambda handler through
// scripts/run-handler.ts and the CLI through src/cli.ts. Nothing but the environment points them at the sandbox,
// exactly as it would point them at AWS. Shared by `npm run demo` and the end-to-end tests.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Report } from '../src/report/types.ts';
import type { Sandbox } from '../test/sandbox/server.ts';
import type { World } from '../test/sandbox/world.ts';

export const REPO = resolve(import.meta.dirname, '..');

export interface ChildResult {
  /** Exit code; null when the process was killed (see timedOut). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

/**
 * The environment of a process that talks to the sandbox only: its endpoint, caller keys, --connect-to mappings
 * and CA file (sandbox.env), and nothing of this shell's AWS setup (profiles, config files, credentials), so a
 * demo or test can never reach a real account.
 */
export function sandboxProcessEnv(
  sandbox: Pick<Sandbox, 'env'>,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const key of ['SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return {
    ...env,
    AWS_CONFIG_FILE: devNull,
    AWS_SHARED_CREDENTIALS_FILE: devNull,
    ...sandbox.env,
    ...extra,
  };
}

/**
 * The Lambda configuration a deployment over this world would have (serverless.yml params): the organization,
 * the ExternalId its member roles require, its alert topic, and the stack's alert state table and report bucket
 * when the world has them (named as the stack names them: `…-alert-state`, `…-reports`). Nothing that exists
 * only for the sandbox.
 */
export function lambdaEnvironment(world: World): Record<string, string> {
  const env: Record<string, string> = {};
  if (world.organization) env.AUDIT_ACCOUNTS = 'org';
  const externalId = world.accounts.find((account) => account.externalId)?.externalId;
  if (externalId) env.AUDIT_EXTERNAL_ID = externalId;
  const topic = world.snsTopics?.[0];
  if (topic) env.ALERT_TOPIC_ARN = topic;
  const table = world.dynamodbTables.find((t) => t.name.endsWith('-alert-state'));
  if (topic && table) env.ALERT_STATE_TABLE = table.name;
  const bucket = world.s3Buckets.find((b) => b.name.endsWith('-reports'));
  if (bucket) env.REPORT_BUCKET = bucket.name;
  // A world that describes clusters' Kubernetes sides is audited with them (the stack's `kubernetes` parameter).
  if (world.accounts.some((account) => account.clusters.some((cluster) => cluster.kubernetes)))
    env.AUDIT_KUBERNETES = 'true';
  return env;
}

/** Runs `node ARGS` from the repository root (or `cwd`), killing it after timeoutMs. */
export function runNode(
  args: string[],
  options: { env: Record<string, string>; timeoutMs: number; cwd?: string },
): Promise<ChildResult> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd ?? REPO,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr, timedOut, ms: Date.now() - started });
    });
  });
}

export interface HandlerRun extends ChildResult {
  /** What the handler returned; undefined when it threw. */
  report: Report | undefined;
  /** The handler's structured log lines (Powertools JSON: info and debug on stdout, warnings and errors on stderr). */
  logs: LogLine[];
}

export interface LogLine {
  level: string;
  message: string;
  [key: string]: unknown;
}

export interface HandlerRunOptions {
  /** The Lambda event; default a manual run that publishes (not a dry run), as the schedule would. */
  event?: unknown;
  /** Lambda configuration (AUDIT_ACCOUNTS, ALERT_TOPIC_ARN, ...), on top of the sandbox's environment. */
  env?: Record<string, string>;
  /** The Lambda's timeout the handler is given (its context's deadline); default serverless.yml's 900 s. */
  lambdaTimeoutSeconds?: number;
  /** When the child is killed, whatever it is doing. */
  timeoutMs?: number;
  /** The module whose `handler` is invoked; default src/handler.ts (a bundle's handler.js, to test the artefact). */
  module?: string;
}

/** Invokes the real Lambda handler once in a child process pointed at the sandbox. */
export async function runHandler(
  sandbox: Pick<Sandbox, 'env'>,
  options: HandlerRunOptions = {},
): Promise<HandlerRun> {
  const dir = await mkdtemp(join(tmpdir(), 'eks-oidc-handler-'));
  const reportFile = join(dir, 'report.json');
  try {
    const event = options.event ?? { trigger: 'manual', dryRun: false };
    const result = await runNode(
      [
        'scripts/run-handler.ts',
        '--event',
        JSON.stringify(event),
        '--report',
        reportFile,
        ...(options.lambdaTimeoutSeconds ? ['--timeout-seconds', String(options.lambdaTimeoutSeconds)] : []),
        ...(options.module ? ['--module', options.module] : []),
      ],
      { env: sandboxProcessEnv(sandbox, options.env), timeoutMs: options.timeoutMs ?? 30_000 },
    );
    const report = result.code === 0 ? (JSON.parse(await readFile(reportFile, 'utf8')) as Report) : undefined;
    return { ...result, report, logs: [...parseLogs(result.stdout), ...parseLogs(result.stderr)] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs the CLI (`node src/cli.ts ARGS`) in a child process pointed at the sandbox. */
export function runCli(
  sandbox: Pick<Sandbox, 'env'>,
  args: string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ChildResult> {
  return runNode(['src/cli.ts', ...args], {
    env: sandboxProcessEnv(sandbox, options.env),
    timeoutMs: options.timeoutMs ?? 30_000,
  });
}

function parseLogs(stdout: string): LogLine[] {
  return stdout.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      const parsed = JSON.parse(line) as Partial<LogLine>;
      return typeof parsed.level === 'string' && typeof parsed.message === 'string'
        ? [parsed as LogLine]
        : [];
    } catch {
      return [];
    }
  });
}

/** What a failed child said, for an error message: its exit, then the tail of its output. */
export function describeFailure(result: ChildResult): string {
  const exit = result.timedOut ? `killed after ${result.ms} ms` : `exit code ${result.code}`;
  const tail = (text: string) => text.trim().split('\n').slice(-20).join('\n');
  return [exit, tail(result.stderr), tail(result.stdout)].filter((part) => part !== '').join('\n');
}
