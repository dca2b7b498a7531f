// The CLI's run once its flags and configuration are known: the pipeline, the report printed before publishing,
// the exit code. Loaded on demand by main.ts.

import type { CliOptions } from '../config/flags.ts';
import type { AuditConfig } from '../config/schema.ts';
import { runMerge, runPipeline, runShard } from '../pipeline.ts';
import { describeOutcome } from '../publish/index.ts';
import { startTimeBudget } from '../runtime/time-budget.ts';
import { cliEdges } from './edges.ts';
import { exitCodeOf } from './exit-code.ts';
import { explainFailure } from './failures.ts';
import { type CliIo, EXIT } from './io.ts';
import { printReport } from './output.ts';
import { withProfileRegion } from './profile-region.ts';
import { progressView } from './progress.ts';

export async function runConfigured(
  io: CliIo,
  options: CliOptions,
  given: AuditConfig,
  say: (line: string) => void,
): Promise<number> {
  const { makeDeps, makePublishDeps } = cliEdges(io, say);
  const config = await withProfileRegion(given, io.env);
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
      await printReport(io, options, report, say);
    };
    if (options.partOut) {
      const part = await runShard(config, edges.audit, options.partOut);
      progress.done();
      const { inventory, shard } = part;
      say(
        `shard ${shard.index}/${shard.count}: ${inventory.accounts.length} account(s), ${inventory.clusters.length} cluster(s), ` +
          `${inventory.providers.length} provider(s), ${inventory.roles.length} role(s), ${inventory.errors.length} error(s); ` +
          `part written to ${options.partOut}`,
      );
      return EXIT.ok;
    }
    const { report, published } = options.merge
      ? await runMerge(config, { parts: options.merge.map((path) => ({ path, source: path })) }, edges, {
          onReport,
        })
      : await runPipeline(config, edges, { onReport });
    if (published) say(`published: ${describeOutcome(published)}`);
    return exitCodeOf(report, options, say);
  } catch (error) {
    progress.done();
    explainFailure(error, say, (stack) => io.env.DEBUG && io.stderr.write(`${stack}\n`));
    return EXIT.failed;
  } finally {
    budget.dispose();
  }
}
