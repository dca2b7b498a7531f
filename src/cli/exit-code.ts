import type { CliOptions } from '../config/flags.ts';
import { hasFindingAtOrAbove } from '../report/build.ts';
import { auditedNothing } from '../report/coverage.ts';
import { filterReport } from '../report/filter.ts';
import type { Report } from '../report/types.ts';
import { EXIT } from './io.ts';

/** The exit code a report earns, for a run and for a saved report rendered again alike. */
export function exitCodeOf(report: Report, options: CliOptions, say: (line: string) => void): number {
  // Whatever --fail-on says: an audit that looked at nothing found nothing, and must not pass for clean.
  if (auditedNothing(report.summary.coverage)) {
    say(
      'audit failed: coverage 0%, no account × region pair could be read; the audit-error findings of the report say why',
    );
    return EXIT.failed;
  }
  const seen = filterReport(report, options.filter);
  return options.failOn && hasFindingAtOrAbove(seen, options.failOn) ? EXIT.findings : EXIT.ok;
}
