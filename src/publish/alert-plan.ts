// Which findings changed since subscribers were last told: the plan of one run's alerts. Pure: the state and the
// time come in, the transitions to alert (in digest order) and the silent refreshes go out.
//
// A digest is sent only when something changed: findings at or above the alert severity that are new (or back
// after a resolution), findings that were alerted and are now gone, and findings still open `reminderDays` after
// subscribers were last told.

import { createHash } from 'node:crypto';

import { atOrAbove, type Finding, type Severity, severityRank } from '../model/finding.ts';
import type { Report } from '../report/types.ts';
import { type AlertedFinding, alertedFinding } from './alerted-finding.ts';
import { observedBy } from './observed-by.ts';
import type { StoredFinding, TransitionKind } from './state.ts';

export interface AlertPolicy {
  minSeverity: Severity;
  /** 0 = no reminders. */
  reminderDays: number;
}

export interface Transition {
  kind: TransitionKind;
  finding: AlertedFinding;
  /** The report's evidence, for new findings and reminders. */
  evidence?: Record<string, unknown>;
  /** The stored item's version when the plan was made; null when there was none. */
  expectedVersion: number | null;
  /** New: the finding had been resolved before (`resolvedAt`). */
  reopenedAfter?: string;
  /** Reminder and resolved: when the finding was alerted as new. */
  openSince?: string;
  /** Set when the entry had to be shortened to fit one SNS message: what was left out. */
  shortened?: string;
  /**
   * Stable across resends of the same transition (derived from the finding and what subscribers were last told),
   * so subscribers can drop a duplicate delivery.
   */
  transitionId: string;
}

export interface Refresh {
  finding: AlertedFinding;
  expectedVersion: number;
  /** Set for a finding muted after subscribers were told of it (src/publish/state.ts, RefreshRequest). */
  status?: 'unnotified';
}

type Skipped = AlertPlan['skipped'];

export interface AlertPlan {
  transitions: Transition[];
  /** Open findings whose severity or text changed without a transition: stored silently. */
  refreshes: Refresh[];
  skipped: {
    /** Claimed by another run that is still within its claim. */
    busy: number;
    /** Last told about by an audit that started after this one. */
    newer: number;
    /** Alerted findings absent from this report whose account or region this run could not see. */
    unobserved: number;
  };
}

interface PlanContext {
  now: Date;
}

/** What a finding's stored item leads to: a transition, a silent refresh, or nothing (counted when skipped). */
type Step = { transition: Transition } | { refresh: Refresh } | { skipped: keyof Skipped } | undefined;

/** What changed since subscribers were last told: the transitions to alert, in digest order. */
export function planAlerts(
  report: Report,
  stored: readonly StoredFinding[],
  policy: AlertPolicy,
  context: PlanContext,
): AlertPlan {
  const byId = new Map(stored.map((s) => [s.id, s]));
  const present = new Set(report.findings.map((f) => f.id));
  const judge: Judge = { now: context.now.getTime(), reportStart: Date.parse(report.startedAt), policy };
  const observed = observedBy(report);
  const steps = [
    ...report.findings.map((finding) => stepOfPresent(finding, byId.get(finding.id), judge)),
    ...stored
      .filter((item) => item.status === 'open' && !present.has(item.id))
      .map((item) => stepOfGone(item, observed(item), judge)),
  ];
  return planOf(steps);
}

function planOf(steps: readonly Step[]): AlertPlan {
  const plan: AlertPlan = { transitions: [], refreshes: [], skipped: { busy: 0, newer: 0, unobserved: 0 } };
  for (const step of steps) {
    if (step === undefined) continue;
    if ('transition' in step) plan.transitions.push(step.transition);
    else if ('refresh' in step) plan.refreshes.push(step.refresh);
    else plan.skipped[step.skipped]++;
  }
  plan.transitions.sort(compareTransitions);
  return plan;
}

/** What every step is judged by: the run's time, the start of the audit it reports, the alert policy. */
interface Judge {
  now: number;
  reportStart: number;
  policy: AlertPolicy;
}

/** Why this run must leave an item alone, if it must: another run holds it, or a newer audit told of it. */
function leftAlone(item: StoredFinding, judge: Judge): keyof Skipped | undefined {
  if (item.claim && Date.parse(item.claim.expiresAt) > judge.now) return 'busy';
  if (item.observedAt && Date.parse(item.observedAt) > judge.reportStart) return 'newer';
  return undefined;
}

/** A finding in the report, against what subscribers were told of it (nothing, when `item` is undefined). */
function stepOfPresent(finding: Finding, item: StoredFinding | undefined, judge: Judge): Step {
  // An accepted risk is neither alerted nor reminded of, nor resolved (it is still there). One subscribers were
  // told of is stored as not notified, silently, so that it is alerted as new once its entry expires.
  if (finding.muted) {
    if (item?.status !== 'open') return undefined;
    const skipped = leftAlone(item, judge);
    if (skipped) return { skipped };
    return {
      refresh: { finding: alertedFinding(finding), expectedVersion: item.version, status: 'unnotified' },
    };
  }
  const alertable = atOrAbove(finding.severity, judge.policy.minSeverity);
  if (!item || item.status === 'unnotified' || item.status === 'resolved') {
    if (!alertable) return undefined;
    const skipped = item && leftAlone(item, judge);
    return skipped ? { skipped } : { transition: newTransition(finding, item) };
  }
  // Open, and subscribers know.
  const skipped = leftAlone(item, judge);
  if (skipped) return { skipped };
  if (alertable && reminderDue(item, judge)) return { transition: reminder(finding, item) };
  if (changed(item, finding))
    return { refresh: { finding: alertedFinding(finding), expectedVersion: item.version } };
  return undefined;
}

function reminderDue(item: StoredFinding, { policy, now }: Judge): boolean {
  const lastTold = Date.parse(item.notifiedAt ?? item.openedAt ?? '');
  return (
    policy.reminderDays > 0 && Number.isFinite(lastTold) && now - lastTold >= policy.reminderDays * 86_400_000
  );
}

function newTransition(finding: Finding, item: StoredFinding | undefined): Transition {
  return {
    kind: 'new',
    finding: alertedFinding(finding),
    evidence: finding.evidence,
    expectedVersion: item ? item.version : null,
    ...(item?.status === 'resolved' && item.resolvedAt ? { reopenedAfter: item.resolvedAt } : {}),
    transitionId: transitionId(finding.id, 'new', item?.status === 'resolved' ? item.notifiedAt : undefined),
  };
}

function reminder(finding: Finding, item: StoredFinding): Transition {
  return {
    kind: 'reminder',
    finding: alertedFinding(finding),
    evidence: finding.evidence,
    expectedVersion: item.version,
    ...(item.openedAt ? { openSince: item.openedAt } : {}),
    transitionId: transitionId(finding.id, 'reminder', item.notifiedAt),
  };
}

/** An open finding absent from the report: resolved when this run saw where it was, else left as it is. */
function stepOfGone(item: StoredFinding, observed: boolean, judge: Judge): Step {
  if (!observed) return { skipped: 'unobserved' };
  const skipped = leftAlone(item, judge);
  if (skipped) return { skipped };
  return {
    transition: {
      kind: 'resolved',
      finding: alertedFinding(item),
      expectedVersion: item.version,
      ...(item.openedAt ? { openSince: item.openedAt } : {}),
      transitionId: transitionId(item.id, 'resolved', item.notifiedAt),
    },
  };
}

function transitionId(findingId: string, kind: TransitionKind, notifiedAt: string | undefined): string {
  return createHash('sha256')
    .update([findingId, kind, notifiedAt ?? '-'].join('\n'))
    .digest('hex')
    .slice(0, 16);
}

function changed(item: StoredFinding, finding: Finding): boolean {
  return (
    item.severity !== finding.severity ||
    item.message !== finding.message ||
    item.remediation !== finding.remediation ||
    item.cluster !== finding.cluster
  );
}

const KIND_ORDER: Record<TransitionKind, number> = { new: 0, resolved: 1, reminder: 2 };

/** Digest order: new, resolved, reminders; then severity, account, check, resource. */
function compareTransitions(a: Transition, b: Transition): number {
  return (
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    severityRank(a.finding.severity) - severityRank(b.finding.severity) ||
    a.finding.accountId.localeCompare(b.finding.accountId) ||
    a.finding.check.localeCompare(b.finding.check) ||
    a.finding.resource.localeCompare(b.finding.resource) ||
    a.finding.id.localeCompare(b.finding.id)
  );
}
