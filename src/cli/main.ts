import type { AuditDeps, AuditResult } from '../audit.ts';
import { runAudit } from '../audit.ts';
import { inputFromEnv } from '../config/env.ts';
import { ConfigError } from '../config/errors.ts';
import { parseFlags } from '../config/flags.ts';
import { mergeInputs, resolveConfig } from '../config/resolve.ts';
import type { AuditConfig } from '../config/schema.ts';
import { defaultDeps } from '../deps.ts';
import {
  defaultPublishDeps,
  describeOutcome,
  type PublishDeps,
  PublishError,
  publishReport,
} from '../publish/index.ts';
import { hasFindingAtOrAbove } from '../report/build.ts';
import { assertWritable, writeReportFile, writeReportJson } from '../report/json.ts';
import { renderTable } from '../report/table.ts';
import type { Report } from '../report/types.ts';
import { startTimeBudget, type TimeBudget } from '../runtime/time-budget.ts';
import { NoCredentialsError } from '../scope/caller.ts';
import { printable } from '../text/quote.ts';
import { HELP } from './help.ts';
import { progressView } from './progress.ts';

export interface CliIo {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  version: string;
  /** Replaceable for tests; defaults to the real AWS clients and TLS probe. */
  makeDeps?: (config: AuditConfig, extra: Pick<AuditDeps, 'onProgress' | 'signal'>) => AuditDeps;
  /** Replaceable for tests; defaults to the real CloudWatch, SNS and DynamoDB clients. */
  makePublishDeps?: (config: AuditConfig, signal: AbortSignal) => PublishDeps;
}

export const EXIT = { ok: 0, failed: 1, findings: 2 } as const;

/** The CLI: flags → config → runAudit → print. Returns the exit code. */
export async function runCli(io: CliIo): Promise<number> {
  // Error messages can quote AWS responses: one printable line each.
  const say = (line: string) => io.stderr.write(`eks-oidc-audit: ${printable(line)}\n`);
  let options: ReturnType<typeof parseFlags>;
  let config: AuditConfig;
  try {
    options = parseFlags(io.argv);
    if (options.help) {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    if (options.version) {
      io.stdout.write(`${io.version}\n`);
      return EXIT.ok;
    }
    config = resolveConfig('cli', mergeInputs(inputFromEnv(io.env), options.input));
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.message.split('\n')) say(line);
      say('run with --help for the options');
      return EXIT.failed;
    }
    throw error;
  }
  // Before the audit: a typo in the path must not cost a whole run's report.
  try {
    if (options.output) assertWritable(options.output);
  } catch (error) {
    say(`--output ${(error as Error).message}`);
    return EXIT.failed;
  }
  const progress = progressView(io.stderr);
  const makeDeps = io.makeDeps ?? ((c, extra) => defaultDeps(c, io.env, extra));
  const budget = startTimeBudget(
    config.timeLimitSeconds === undefined ? undefined : config.timeLimitSeconds * 1000,
  );
  try {
    return await audit(io, options, config, makeDeps, budget, say, progress);
  } finally {
    budget.dispose();
  }
}

async function audit(
  io: CliIo,
  options: ReturnType<typeof parseFlags>,
  config: AuditConfig,
  makeDeps: NonNullable<CliIo['makeDeps']>,
  budget: TimeBudget,
  say: (line: string) => void,
  progress: ReturnType<typeof progressView>,
): Promise<number> {
  // Only the report is kept: the inventory it was built from is released before the report is written out.
  let report: Report;
  let coverage: AuditResult['coverage'];
  try {
    ({ report, coverage } = await runAudit(
      config,
      makeDeps(config, { onProgress: (p) => progress.update(p), signal: budget.signal }),
    ));
  } catch (error) {
    progress.done();
    if (error instanceof NoCredentialsError) {
      say(error.message);
    } else {
      say(`audit failed: ${(error as Error).message?.split('\n')[0] ?? String(error)}`);
      if (io.env.DEBUG) io.stderr.write(`${(error as Error).stack}\n`);
    }
    return EXIT.failed;
  }
  progress.done();

  if (options.output) {
    try {
      await writeReportFile(report, options.output);
    } catch (error) {
      say(`could not write --output ${options.output}: ${(error as Error).message}`);
      return EXIT.failed;
    }
  }
  const format = options.format ?? (io.stdout.isTTY ? 'table' : 'json');
  if (format === 'json') await writeReportJson(report, io.stdout);
  else
    io.stdout.write(
      renderTable(report, { color: !!io.stdout.isTTY && !io.env.NO_COLOR, width: io.stdout.columns }),
    );
  // After the report is out: a publish failure must not cost the user the audit they waited for.
  if (config.publish) {
    const makePublishDeps =
      io.makePublishDeps ??
      (() =>
        defaultPublishDeps(
          io.env,
          { info: () => {}, warn: (message) => say(`warning: ${message}`) },
          {
            connectTimeoutMs: config.awsConnectTimeoutMs,
            requestTimeoutMs: config.awsRequestTimeoutMs,
            signal: budget.publishSignal,
          },
        ));
    try {
      const outcome = await publishReport(report, config, {
        ...makePublishDeps(config, budget.publishSignal),
        ...(coverage ? { coverage } : {}),
      });
      say(`published: ${describeOutcome(outcome)}`);
    } catch (error) {
      if (!(error instanceof PublishError)) throw error;
      say(error.message);
      say(`sent: ${describeOutcome(error.outcome)}`);
      return EXIT.failed;
    }
  }
  if (options.failOn && hasFindingAtOrAbove(report, options.failOn)) return EXIT.findings;
  return EXIT.ok;
}
