// What every part of a digest says about the whole: the run it reports, how many transitions of each kind, the
// worst new severity, and the subject line built from them.
//
// One digest per run, sent only when something changed. It is one SNS message with MessageStructure json:
// readable text for email (digest-email.ts), JSON for everything else (digest-json.ts; sqs, lambda, https,
// email-json, firehose get `default`). When it is larger than one SNS message, it is split into parts
// (digest-split.ts); each transition appears in exactly one part, and none is cut short without saying so.

import { type Severity, severityRank } from '../model/finding.ts';
import type { Report } from '../report/types.ts';
import type { AlertPolicy, Transition } from './alert-plan.ts';
import type { StoredReports } from './report-store.ts';

const SUBJECT_MAX_CHARS = 99;

export interface DigestContext {
  digestId: string;
  report: Report;
  policy: AlertPolicy;
  /** The run's reports in the stack's bucket, when stored: the digest links to them. */
  reports?: StoredReports;
}

export interface Counts {
  new: number;
  resolved: number;
  reminder: number;
}

/** One part of a digest as its renderers see it: which part, its transitions, and the whole digest's counts. */
export interface PartView {
  context: DigestContext;
  transitions: readonly Transition[];
  part: number;
  parts: number;
  all: DigestCounts;
  /** The part's SNS Subject (subjectOf the whole digest): the e-mail's first line repeats it. */
  subject: string;
}

/** The whole digest's counts, and its worst new severity: what the subject of every part says. */
export type DigestCounts = Counts & { highestNew?: Severity };

export function countKinds(transitions: readonly Transition[]): Counts {
  const counts: Counts = { new: 0, resolved: 0, reminder: 0 };
  for (const t of transitions) counts[t.kind]++;
  return counts;
}

export function highest(transitions: readonly Transition[]): Severity | undefined {
  let best: Severity | undefined;
  for (const t of transitions) {
    if (best === undefined || severityRank(t.finding.severity) < severityRank(best))
      best = t.finding.severity;
  }
  return best;
}

export function digestCounts(transitions: readonly Transition[]): DigestCounts {
  return { ...countKinds(transitions), highestNew: highest(transitions.filter((t) => t.kind === 'new')) };
}

/** Under 100 characters, one line: what changed, the worst new severity, and which part. */
export function subjectOf(all: DigestCounts, part: number, parts: number): string {
  const pieces: string[] = [];
  if (all.new > 0) pieces.push(`${all.new} new${all.highestNew ? ` (worst: ${all.highestNew})` : ''}`);
  if (all.resolved > 0) pieces.push(`${all.resolved} resolved`);
  if (all.reminder > 0) pieces.push(`${all.reminder} still open`);
  const suffix = parts > 1 ? ` [${part}/${parts}]` : '';
  const subject = `EKS OIDC audit: ${pieces.join(', ') || 'no change'}${suffix}`.replace(/[\r\n\t]+/g, ' ');
  return subject.length <= SUBJECT_MAX_CHARS ? subject : `${subject.slice(0, SUBJECT_MAX_CHARS - 1)}…`;
}
