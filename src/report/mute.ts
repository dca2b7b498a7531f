// Accepted risks applied to the findings (docs/suppressions.md). A muted finding stays in the report with why; it
// is not alerted, not counted by --fail-on or the severity metrics, and comes back by itself once its entry has
// expired. An entry that matches nothing is stale and said so, one past its date a warning: a suppression list
// rots like any allow-list, and the report is where its owners see it.

import type { SuppressionEntry, Suppressions } from '../config/suppressions.ts';
import { globMatch, wildcardPieces } from '../facts/trust/wildcard.ts';
import type { Finding } from '../model/finding.ts';

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

/** The short form of a resource (`role/irsa/app`), as the table prints it and entries may name it. */
function shortForm(resource: string): string {
  return resource.startsWith('arn:') ? resource.split(':').slice(5).join(':') : resource;
}

function matches(entry: SuppressionEntry, finding: Finding): boolean {
  const test = (pattern: string | undefined, ...values: (string | null)[]) =>
    pattern === undefined ||
    values.some((value) => value !== null && globMatch(wildcardPieces(pattern), value));
  return (
    test(entry.check, finding.check) &&
    test(entry.account, finding.accountId) &&
    test(entry.region, finding.region) &&
    test(entry.cluster, finding.cluster) &&
    test(entry.resource, finding.resource, shortForm(finding.resource))
  );
}

/** Marks the findings the live entries match (the first matching entry wins), and reports the entries' state. */
export function muteFindings(findings: Finding[], suppressions: Suppressions | undefined, now: Date): Muted {
  if (!suppressions) return { findings };
  const today = now.toISOString().slice(0, 10);
  const live = suppressions.entries
    .map((entry, index) => ({ entry, position: index + 1 }))
    .filter(({ entry }) => entry.expires === undefined || entry.expires >= today);
  const used = new Set<number>();
  const result = findings.map((finding) => {
    const hit = live.find(({ entry }) => matches(entry, finding));
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
