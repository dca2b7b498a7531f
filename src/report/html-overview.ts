// The page's overview: open findings counted by account × severity and by check, in one pass over the findings
// that keeps only counters (one row per account and per check), never the findings themselves.
import { type Finding, SEVERITIES, type Severity } from '../model/finding.ts';

export type SeverityCounts = Record<Severity, number>;

export interface Overview {
  byAccount: Map<string, SeverityCounts>;
  byCheck: Map<string, SeverityCounts>;
}

const zero = (): SeverityCounts => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

export function overviewOf(findings: Iterable<Finding>): Overview {
  const byAccount = new Map<string, SeverityCounts>();
  const byCheck = new Map<string, SeverityCounts>();
  for (const finding of findings) {
    if (finding.muted) continue;
    for (const [map, key] of [
      [byAccount, finding.accountId],
      [byCheck, finding.check],
    ] as const) {
      let counts = map.get(key);
      if (!counts) {
        counts = zero();
        map.set(key, counts);
      }
      counts[finding.severity]++;
    }
  }
  return { byAccount, byCheck };
}

export function total(counts: SeverityCounts): number {
  return SEVERITIES.reduce((sum, severity) => sum + counts[severity], 0);
}

/** Worst first: most critical, then most high, and so on; ties by key. */
export function worstFirst(entries: Map<string, SeverityCounts>): [string, SeverityCounts][] {
  return [...entries].sort(
    ([ka, a], [kb, b]) =>
      SEVERITIES.reduce((order, severity) => order || b[severity] - a[severity], 0) || ka.localeCompare(kb),
  );
}
