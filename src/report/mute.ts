// Accepted risks applied to the findings (docs/suppressions.md). A muted finding stays in the report with why; it
// is not alerted, not counted by --fail-on or the severity metrics, and comes back by itself once its entry has
// expired. An entry that matches nothing is stale and said so, one past its date a warning: a suppression list
// rots like any allow-list, and the report is where its owners see it.

import type { SuppressionEntry, Suppressions } from '../config/suppressions.ts';
import { globMatch, wildcardPieces } from '../facts/trust/wildcard.ts';
import type { Finding } from '../model/finding.ts';
import { shortResource } from './table.ts';

export interface SuppressionReport {
  source: string;
  entries: number;
  /** Entries (1-based positions in the file) that matched no finding of this run. */
  stale: { entry: number; reason: string }[];
  /** Entries past their `expires` date: they mute nothing any more. */
  expired: { entry: number; reason: string; expires: string }[];
}

export interface Muted {
  findings: Finding[];
  suppressions?: SuppressionReport;
}

type Matcher = (finding: Finding) => boolean;

/** An entry as one test, its patterns compiled once: every finding of the run is tried against it. */
function matcherOf(entry: SuppressionEntry): Matcher {
  const field = (pattern: string | undefined, valuesOf: (finding: Finding) => (string | null)[]): Matcher => {
    if (pattern === undefined) return () => true;
    const pieces = wildcardPieces(pattern);
    return (finding) => valuesOf(finding).some((value) => value !== null && globMatch(pieces, value));
  };
  const tests = [
    field(entry.check, (f) => [f.check]),
    field(entry.account, (f) => [f.accountId]),
    field(entry.region, (f) => [f.region]),
    field(entry.cluster, (f) => [f.cluster]),
    // The full ARN, or the short form the table prints (`role/irsa/app`).
    field(entry.resource, (f) => [f.resource, shortResource(f.resource)]),
  ];
  return (finding) => tests.every((test) => test(finding));
}

/** Marks the findings the live entries match (the first matching entry wins), and reports the entries' state. */
export function muteFindings(findings: Finding[], suppressions: Suppressions | undefined, now: Date): Muted {
  if (!suppressions) return { findings };
  const today = now.toISOString().slice(0, 10);
  const live = suppressions.entries
    .map((entry, index) => ({ entry, position: index + 1, matches: matcherOf(entry) }))
    .filter(({ entry }) => entry.expires === undefined || entry.expires >= today);
  const used = new Set<number>();
  const result = findings.map((finding) => {
    const hit = live.find(({ matches }) => matches(finding));
    if (!hit) return finding;
    used.add(hit.position);
    const muted = {
      reason: hit.entry.reason,
      ...(hit.entry.expires ? { expires: hit.entry.expires } : {}),
      entry: hit.position,
    };
    return { ...finding, muted };
  });
  return {
    findings: result,
    suppressions: {
      source: suppressions.source,
      entries: suppressions.entries.length,
      stale: live
        .filter(({ position }) => !used.has(position))
        .map(({ entry, position }) => ({ entry: position, reason: entry.reason })),
      expired: suppressions.entries.flatMap((entry, index) =>
        entry.expires !== undefined && entry.expires < today
          ? [{ entry: index + 1, reason: entry.reason, expires: entry.expires }]
          : [],
      ),
    },
  };
}

export function isMuted(finding: Finding): boolean {
  return finding.muted !== undefined;
}
