// The digest as SNS messages: transitions packed in digest order, each part within SNS's limit (message,
// attributes and subject), each transition in exactly one part, and a transition too large for any message
// shortened visibly rather than cut silently.

import type { Transition } from './alert-plan.ts';
import { emailEntry } from './digest-email.ts';
import { jsonTransition } from './digest-json.ts';
import { type DigestPart, renderPart } from './digest-message.ts';
import { type DigestContext, type DigestCounts, digestCounts } from './digest-summary.ts';

/** SNS Publish: 256 KiB for the message and its attributes together. */
export const SNS_MAX_BYTES = 256 * 1024;

/** What one transition adds to a message: its email block and its JSON entry, both escaped inside the envelope. */
function transitionBytes(t: Transition, runAt: string): number {
  const email = Buffer.byteLength(JSON.stringify(emailEntry(t, runAt)));
  const json = Buffer.byteLength(JSON.stringify(JSON.stringify(jsonTransition(t))));
  // Plus the headings (severity, account) a transition may open, and separators.
  return email + json + 200;
}

const SHORT_LIMIT = 2000;

/** A transition as it goes into the digest, and what it adds to a message (transitionBytes). */
interface Sized {
  transition: Transition;
  bytes: number;
}

const sized = (transition: Transition, runAt: string): Sized => ({
  transition,
  bytes: transitionBytes(transition, runAt),
});

/**
 * A transition that cannot fit one message on its own (a huge evidence object, say) is shortened visibly: the
 * evidence goes first, then the text is cut with a note, and `shortened` says what was left out. Never silently.
 */
function fitAlone(t: Transition, budget: number, runAt: string): Sized {
  const whole = sized(t, runAt);
  if (whole.bytes <= budget) return whole;
  const { evidence: _evidence, ...rest } = t;
  const withoutEvidence: Transition = {
    ...rest,
    shortened: 'evidence left out: too large for one SNS message; see the audit report',
  };
  const lighter = sized(withoutEvidence, runAt);
  if (lighter.bytes <= budget) return lighter;
  const cut = (text: string) =>
    text.length <= SHORT_LIMIT
      ? text
      : `${text.slice(0, SHORT_LIMIT)}\n[… ${text.length - SHORT_LIMIT} more characters: see the audit report]`;
  return sized(
    {
      ...withoutEvidence,
      finding: { ...t.finding, message: cut(t.finding.message), remediation: cut(t.finding.remediation) },
      shortened: 'evidence left out and text cut: too large for one SNS message; see the audit report',
    },
    runAt,
  );
}

/** Transitions in digest order, a new group whenever the estimate of the next one would pass the budget. */
function pack(transitions: readonly Sized[], budget: number): Transition[][] {
  const groups: Transition[][] = [];
  let current: Transition[] = [];
  let used = 0;
  for (const { transition, bytes } of transitions) {
    if (current.length > 0 && used + bytes > budget) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(transition);
    used += bytes;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * The digest as SNS messages: transitions packed in digest order, each part within `limit` bytes (message,
 * attributes and subject), each transition in exactly one part. Estimates pack; a real render checks each part,
 * and a part that came out too large is split in two until all fit.
 */
export function splitDigest(
  context: DigestContext,
  transitions: readonly Transition[],
  limit = SNS_MAX_BYTES,
): DigestPart[] {
  if (transitions.length === 0) return [];
  const all = digestCounts(transitions);
  const runAt = context.report.finishedAt;
  const overhead = renderPart(context, [], 9999, 9999, all).bytes + 4096;
  const budget = limit - overhead;
  if (budget <= 0) throw new Error(`an SNS message limit of ${limit} bytes leaves no room for findings`);
  const fitted = transitions.map((t) => fitAlone(t, budget, runAt));
  return renderWithin(context, pack(fitted, budget), all, limit);
}

/**
 * Renders every group; halves each part that came out over `limit` until its halves fit, then renders all again,
 * since every part names the part count. Repeats in case a part grew past `limit` with a longer number.
 */
function renderWithin(
  context: DigestContext,
  packed: Transition[][],
  all: DigestCounts,
  limit: number,
): DigestPart[] {
  let groups = packed;
  for (;;) {
    const parts = groups.map((group, i) => renderPart(context, group, i + 1, groups.length, all));
    if (parts.every((p) => p.bytes <= limit)) return parts;
    groups = parts.flatMap((p) =>
      p.bytes <= limit ? [p.transitions] : halvesWithin(context, p, all, limit),
    );
  }
}

/** A part over `limit` in halves, each rendered alone (numbered as the part was) and halved again if still over. */
function halvesWithin(
  context: DigestContext,
  part: DigestPart,
  all: DigestCounts,
  limit: number,
): Transition[][] {
  const group = part.transitions;
  if (group.length === 1) {
    throw new Error(`finding ${group[0]?.finding.id}: does not fit one SNS message even shortened`);
  }
  const half = Math.ceil(group.length / 2);
  return [group.slice(0, half), group.slice(half)].flatMap((halfGroup) => {
    const rendered = renderPart(context, halfGroup, part.part, part.parts, all);
    return rendered.bytes <= limit ? [halfGroup] : halvesWithin(context, rendered, all, limit);
  });
}
