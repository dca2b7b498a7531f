// `eks-oidc-audit report FILE`: a saved JSON report rendered again, through the same mutes, filters, formats and
// exit codes as a run. Loaded on demand by main.ts; nothing is read from AWS but the mutes' SSM or S3 source.

import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/errors.ts';
import type { CliOptions } from '../config/flags.ts';
import type { AuditConfig } from '../config/schema.ts';
import { filterFlags } from '../report/filter.ts';
import { muteAgain } from '../report/rerender.ts';
import { parseSavedReport } from '../report/saved.ts';
import { cliEdges } from './edges.ts';
import { exitCodeOf } from './exit-code.ts';
import { explainFailure } from './failures.ts';
import { type CliIo, EXIT } from './io.ts';
import { printReport } from './output.ts';
import { withProfileRegion } from './profile-region.ts';

export async function renderSaved(
  io: CliIo,
  options: CliOptions,
  given: AuditConfig,
  path: string,
  say: (line: string) => void,
): Promise<number> {
  try {
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      throw new ConfigError(`report ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    const saved = parseSavedReport(bytes, path);
    if (saved.filtered) {
      say(
        `warning: ${path} was saved filtered (${filterFlags(saved.filtered)}): the ${saved.filtered.hiddenFindings} finding(s) it left out cannot be shown`,
      );
    }
    // Mutes from SSM or S3 are read in the home region, the profile's too, as an audit reads them.
    const config = given.suppressions ? await withProfileRegion(given, io.env) : given;
    const deps = config.suppressions ? cliEdges(io, say).makeDeps(config, {}) : undefined;
    const suppressions = await deps?.loadSuppressions?.();
    const report = muteAgain(saved, suppressions, deps?.now() ?? new Date());
    await printReport(io, options, report, say);
    return exitCodeOf(report, options, say);
  } catch (error) {
    explainFailure(error, say, (stack) => io.env.DEBUG && io.stderr.write(`${stack}\n`));
    return EXIT.failed;
  }
}
