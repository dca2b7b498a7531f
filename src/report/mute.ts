// Accepted risks applied to the findings (docs/suppressions.md). A muted finding stays in the report with why; it
// is not alerted, not counted by --fail-on or the severity metrics, and comes back by itself once its entry has
// expired. An entry that matches nothing is stale and said so, one past its date a warning: a suppression list
// rots like any allow-list, and the report is where its owners see it.

import { checksOf } from '../config/mute-checks.ts';
import type { SuppressionEntry, Suppressions } from '../config/suppressions.ts';
import type { Finding } from '../model/finding.ts';
import { admitsAnyValue, compileGlob, hasWildcard } from '../text/glob.ts';
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

type Test = (finding: Finding) => boolean;

interface LiveEntry {
  entry: SuppressionEntry;
  /** 1-based position in the file: the first matching entry wins. */
  position: number;
  /** The entry's matchers but check (the index holds it), account too when it is a pattern. */
  matches: Test;
}

/** The live entries that could mute findings of one check: those naming one account, and the others. */
interface CheckBucket {
  byAccount: Map<string, LiveEntry[]>;
  anyAccount: LiveEntry[];
}

/**
 * The live entries indexed by check id and account, their patterns compiled once: a finding is tried only against
 * the entries of its own check that name its account or no account, so a file of many entries costs each finding
 * only the entries that could apply to it. `tried` counts the entries tried, for tests.
 */
export class MuteIndex {
  private readonly buckets = new Map<string, CheckBucket>();
  tried = 0;

  constructor(live: readonly LiveEntry[]) {
    for (const item of live) {
      const account = item.entry.account;
      for (const check of checksOf(item.entry)) {
        let bucket = this.buckets.get(check);
        if (!bucket) {
          bucket = { byAccount: new Map(), anyAccount: [] };
          this.buckets.set(check, bucket);
        }
        if (account !== undefined && !hasWildcard(account)) {
          const list = bucket.byAccount.get(account) ?? [];
          list.push(item);
          bucket.byAccount.set(account, list);
        } else bucket.anyAccount.push(item);
      }
    }
  }

  /** The first entry, in file order, that mutes the finding. */
  first(finding: Finding): LiveEntry | undefined {
    const bucket = this.buckets.get(finding.check);
    if (!bucket) return undefined;
    const named = bucket.byAccount.get(finding.accountId) ?? [];
    const other = bucket.anyAccount;
    let i = 0;
    let j = 0;
    // Both lists are in file order: merge them, so the entry that comes first in the file is tried first.
    while (i < named.length || j < other.length) {
      const takeNamed =
        j >= other.length ||
        (i < named.length && (named[i] as LiveEntry).position < (other[j] as LiveEntry).position);
      const item = (takeNamed ? named[i++] : other[j++]) as LiveEntry;
      this.tried++;
      if (item.matches(finding)) return item;
    }
    return undefined;
  }
}

/** The entry's matchers the index does not decide, compiled once. */
function matcherOf(entry: SuppressionEntry): Test {
  const field = (pattern: string | undefined, valuesOf: (finding: Finding) => (string | null)[]): Test[] => {
    if (pattern === undefined || admitsAnyValue(pattern)) return [];
    const test = compileGlob(pattern);
    return [(finding) => valuesOf(finding).some((value) => value !== null && test(value))];
  };
  const tests = [
    ...(entry.account !== undefined && hasWildcard(entry.account)
      ? field(entry.account, (f) => [f.accountId])
      : []),
    ...field(entry.region, (f) => [f.region]),
    ...field(entry.cluster, (f) => [f.cluster]),
    // The full ARN, or the short form the table prints (`role/irsa/app`).
    ...field(entry.resource, (f) => [f.resource, shortResource(f.resource)]),
  ];
  return (finding) => tests.every((test) => test(finding));
}

/**
 * Marks the findings the live entries match (the first matching entry wins), and reports the entries' state. An
 * `audit-error` finding (a blind spot) is muted only by an entry that names that check.
 */
export function muteFindings(findings: Finding[], suppressions: Suppressions | undefined, now: Date): Muted {
  if (!suppressions) return { findings };
  const today = now.toISOString().slice(0, 10);
  const live = suppressions.entries
    .map((entry, index) => ({ entry, position: index + 1, matches: matcherOf(entry) }))
    .filter(({ entry }) => entry.expires === undefined || entry.expires >= today);
  const index = new MuteIndex(live);
  const used = new Set<number>();
  const result = findings.map((finding) => {
    const hit = index.first(finding);
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
