// A world's `expectedFindings` against a report's findings: each expected finding present exactly once, nothing
// else. An expected finding names its check and severity and pins it down with the fields it gives (resource,
// cluster, accountId, region); `resource` matches the full resource or its short form (`role/irsa/app`,
// `oidc-provider/oidc.eks...`, as the table prints it).

import type { Finding } from '../../../src/model/finding.ts';
import { shortResource } from '../../../src/report/table.ts';
import type { ExpectedFinding } from '../../sandbox/world.ts';

export interface FindingsComparison {
  /** Expected, not found. */
  missing: ExpectedFinding[];
  /** Found, not expected. */
  unexpected: Finding[];
  matched: { expected: ExpectedFinding; found: Finding }[];
}

export function matches(expected: ExpectedFinding, found: Finding): boolean {
  return (
    expected.check === found.check &&
    expected.severity === found.severity &&
    (expected.resource === undefined ||
      expected.resource === found.resource ||
      expected.resource === shortResource(found.resource)) &&
    (expected.cluster === undefined || expected.cluster === found.cluster) &&
    (expected.accountId === undefined || expected.accountId === found.accountId) &&
    (expected.region === undefined || expected.region === found.region)
  );
}

/**
 * Pairs expected and found findings one to one (a maximum bipartite matching, so a loosely written expectation
 * cannot take the finding a stricter one needs), and returns what is left on either side.
 */
export function compareFindings(
  found: readonly Finding[],
  expected: readonly ExpectedFinding[],
): FindingsComparison {
  const candidates = expected.map((e) => found.flatMap((f, index) => (matches(e, f) ? [index] : [])));
  const owner = new Array<number | undefined>(found.length).fill(undefined);
  const assign = (e: number, seen: Set<number>): boolean => {
    for (const f of candidates[e] ?? []) {
      if (seen.has(f)) continue;
      seen.add(f);
      const current = owner[f];
      if (current === undefined || assign(current, seen)) {
        owner[f] = e;
        return true;
      }
    }
    return false;
  };
  for (let e = 0; e < expected.length; e++) assign(e, new Set());

  const matchedExpected = new Set<number>();
  const matched: FindingsComparison['matched'] = [];
  const unexpected: Finding[] = [];
  found.forEach((finding, f) => {
    const e = owner[f];
    const entry = e === undefined ? undefined : expected[e];
    if (e === undefined || entry === undefined) {
      unexpected.push(finding);
      return;
    }
    matchedExpected.add(e);
    matched.push({ expected: entry, found: finding });
  });
  return { missing: expected.filter((_, e) => !matchedExpected.has(e)), unexpected, matched };
}

/** A readable account of the differences, or '' when there are none. */
export function describeDifferences(comparison: FindingsComparison): string {
  const lines: string[] = [];
  if (comparison.missing.length > 0) {
    lines.push(`expected but not found (${comparison.missing.length}):`);
    for (const e of comparison.missing) lines.push(`  - ${describeExpected(e)}`);
  }
  if (comparison.unexpected.length > 0) {
    lines.push(`found but not expected (${comparison.unexpected.length}):`);
    for (const f of comparison.unexpected) {
      lines.push(`  + ${describeFound(f)}`);
      lines.push(`      ${f.message}`);
    }
  }
  return lines.join('\n');
}

/** Throws with the differences when the findings are not exactly the expected ones. */
export function assertFindings(found: readonly Finding[], expected: readonly ExpectedFinding[]): void {
  const comparison = compareFindings(found, expected);
  const differences = describeDifferences(comparison);
  if (differences !== '') {
    throw new Error(
      `findings differ from the world's expectedFindings (${comparison.matched.length} matched):\n${differences}`,
    );
  }
}

export function describeExpected(e: ExpectedFinding): string {
  const where = [
    e.accountId,
    e.region === undefined ? undefined : (e.region ?? 'global'),
    e.cluster === undefined ? undefined : `cluster ${e.cluster}`,
    e.resource,
  ].filter((part): part is string => part !== undefined);
  return `${e.check} ${e.severity} ${where.join(' / ')}`;
}

export function describeFound(f: Finding): string {
  const where = [f.accountId, f.region ?? 'global', f.cluster ? `cluster ${f.cluster}` : undefined];
  return `${f.check} ${f.severity} ${where.filter((part) => part !== undefined).join(' / ')} / ${shortResource(f.resource)}`;
}
