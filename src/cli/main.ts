import { inputFromEnv } from '../config/env.ts';
import { ConfigError } from '../config/errors.ts';
import type { CliOptions } from '../config/flags.ts';
import { parseCommand } from '../config/report-command.ts';
import { mergeInputs, resolveConfig } from '../config/resolve.ts';
import type { AuditConfig } from '../config/schema.ts';
import { printable } from '../text/quote.ts';
import { infoText } from './help.ts';
import { type CliIo, EXIT } from './io.ts';
import { checkParts } from './merge-input.ts';
import { checkOutput, OutputError } from './output.ts';

export { type CliIo, EXIT };

/** The CLI: flags → config → the pipeline, with the report printed before publishing. Returns the exit code. */
export async function runCli(io: CliIo): Promise<number> {
  // Error messages can quote AWS responses: one printable line each.
  const say = (line: string) => io.stderr.write(`eks-oidc-audit: ${printable(line)}\n`);
  let options: CliOptions;
  let config: AuditConfig;
  let savedReport: string | undefined;
  try {
    const command = parseCommand(io.argv);
    options = command.options;
    if (command.kind === 'report') savedReport = command.file;
    if (options.help || options.version || options.listChecks) {
      io.stdout.write(infoText(io, options));
      return EXIT.ok;
    }
    config = resolveConfig('cli', mergeInputs(inputFromEnv(io.env), options.input));
    checkOutput(options);
    if (options.merge) checkParts(options.merge);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof OutputError)) throw error;
    for (const line of error.message.split('\n')) say(line);
    if (error instanceof ConfigError) say('run with --help for the options');
    return EXIT.failed;
  }
  // The audit's code (the SDK, the probe, the checks) loads only now: --help and usage errors answer at once.
  if (savedReport !== undefined) {
    const { renderSaved } = await import('./render-saved.ts');
    return renderSaved(io, options, config, savedReport, say);
  }
  const { runConfigured } = await import('./run.ts');
  return runConfigured(io, options, config, say);
}
