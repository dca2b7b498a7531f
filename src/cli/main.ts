import { inputFromEnv } from '../config/env.ts';
import { ConfigError } from '../config/errors.ts';
import { type CliOptions, parseFlags } from '../config/flags.ts';
import { mergeInputs, resolveConfig } from '../config/resolve.ts';
import type { AuditConfig } from '../config/schema.ts';
import { runPipeline } from '../pipeline.ts';
import { describeOutcome } from '../publish/index.ts';
import { hasFindingAtOrAbove } from '../report/build.ts';
import { filterReport } from '../report/filter.ts';
import { startTimeBudget } from '../runtime/time-budget.ts';
import { printable } from '../text/quote.ts';
import { explainFailure } from './failures.ts';
import { infoText } from './help.ts';
import { type CliIo, cliEdges, EXIT } from './io.ts';
import { checkOutput, OutputError, printReport } from './output.ts';
import { progressView } from './progress.ts';

export { type CliIo, EXIT };

/** The CLI: flags → config → the pipeline, with the report printed before publishing. Returns the exit code. */
export async function runCli(io: CliIo): Promise<number> {
  // Error messages can quote AWS responses: one printable line each.
  const say = (line: string) => io.stderr.write(`eks-oidc-audit: ${printable(line)}\n`);
  let options: CliOptions;
  let config: AuditConfig;
  try {
    options = parseFlags(io.argv);
    if (options.help || options.version || options.listChecks) {
      io.stdout.write(infoText(io, options));
      return EXIT.ok;
    }
    config = resolveConfig('cli', mergeInputs(inputFromEnv(io.env), options.input));
    checkOutput(options);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof OutputError)) throw error;
    for (const line of error.message.split('\n')) say(line);
    if (error instanceof ConfigError) say('run with --help for the options');
    return EXIT.failed;
  }
  const { makeDeps, makePublishDeps } = cliEdges(io, say);
  const progress = progressView(io.stderr);
  const limitMs = config.timeLimitSeconds === undefined ? undefined : config.timeLimitSeconds * 1000;
  const budget = startTimeBudget(limitMs);
  try {
    const edges = {
      audit: makeDeps(config, { onProgress: progress.update, signal: budget.signal }),
      publish: () => makePublishDeps(config, budget.publishSignal),
    };
    // The report goes out before publishing: a publish failure must not cost the audit the user waited for.
    const onReport = async (report: Parameters<typeof printReport>[2]) => {
      progress.done();
      await printReport(io, options, report);
    };
    const { report, published } = await runPipeline(config, edges, { onReport });
    if (published) say(`published: ${describeOutcome(published)}`);
    const seen = filterReport(report, options.filter);
    return options.failOn && hasFindingAtOrAbove(seen, options.failOn) ? EXIT.findings : EXIT.ok;
  } catch (error) {
    progress.done();
    explainFailure(error, say, (stack) => io.env.DEBUG && io.stderr.write(`${stack}\n`));
    return EXIT.failed;
  } finally {
    budget.dispose();
  }
}
