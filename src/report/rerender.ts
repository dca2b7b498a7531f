// A saved report rendered again with the accepted risks of today: the mutes it was saved with are dropped and the
// entries applied anew, as a run would (mute.ts), and the counts follow. Filters are applied after, by the same
// filterReport as a run's.

import type { Suppressions } from '../config/suppressions.ts';
import { countFindings } from './build.ts';
import { muteFindings } from './mute.ts';
import type { Report } from './types.ts';

/** The report muted by `suppressions` instead of the entries it was saved with; unchanged without them. */
export function muteAgain(report: Report, suppressions: Suppressions | undefined, now: Date): Report {
  if (!suppressions) return report;
  const unmuted = report.findings.map(({ muted: _muted, ...finding }) => finding);
  const muted = muteFindings(unmuted, suppressions, now);
  const { counts, muted: mutedCount } = countFindings(muted.findings);
  return {
    ...report,
    summary: { ...report.summary, findings: counts, muted: mutedCount },
    findings: muted.findings,
    ...(muted.suppressions ? { suppressions: muted.suppressions } : {}),
  };
}
