// Alerts, the pure part: which findings changed since subscribers were last told (plan), and the digest that
// tells them (render, split within the SNS limits). No SDK, no clock: the state and the time come in.
//
// One digest per run, sent only when something changed: findings at or above the alert severity that are new
// (or back after a resolution), findings that were alerted and are now gone, and findings still open
// `reminderDays` after subscribers were last told. The digest is one SNS message with MessageStructure json:
// readable text for email, JSON for everything else (sqs, lambda, https, email-json, firehose get `default`).
// When it is larger than one SNS message, it is split into parts; each transition appears in exactly one part,
// and none is cut short without saying so.

import { createHash } from 'node:crypto';

import { CATALOG, type Read } from '../model/catalog.ts';
import { atOrAbove, type Finding, SEVERITIES, type Severity, severityRank } from '../model/finding.ts';
import { accountLabel } from '../report/account-label.ts';
import { scopeCounts } from '../report/scope-counts.ts';
import { checkDocsUrl } from '../report/tool.ts';
import type { Report } from '../report/types.ts';
import { printable, printableLines } from '../text/quote.ts';
import { catalogSymptom, suppressionEntry } from './digest-finding.ts';
import type { StoredReports } from './report-store.ts';
import type { AlertedFinding, StoredFinding, TransitionKind } from './state.ts';

// ---- plan ----------------------------------------------------------------------------------------------

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

export interface PlanContext {
  now: Date;
}

/**
 * Whether this run read everything a finding depends on (its catalog entry, src/model/catalog.ts), well enough to say the
 * finding is gone. Every account and region in scope ends up audited or named by an audit error, so: the
 * account must be in scope and entered; each read the check depends on must have succeeded, with no audit
 * error for it; a run-wide error of the scope (no account, no region: the organization could not be listed)
 * leaves everything as it was. Anything else stays as it was: a resolution is late rather than false.
 */
export function observedBy(report: Report) {
  const accounts = new Set(report.scope.accounts);
  const entries = new Map(report.accounts.map((account) => [account.accountId, account]));
  const scopeError = report.errors.some((e) => e.accountId === null && e.region === null);
  const runWideRegions = new Set(report.errors.filter((e) => e.accountId === null).map((e) => e.region));
  const accountErrors = new Set(report.errors.filter((e) => e.region === null).map((e) => e.accountId));
  // A cluster's Kubernetes side unread (--kubernetes) hides that cluster's Kubernetes findings, not its region.
  const regionScoped = report.errors.filter((e) => e.region !== null && e.cluster === undefined);
  const regionErrors = new Set(regionScoped.map((e) => `${e.accountId}|${e.region}`));
  const accountsWithRegionErrors = new Set(regionScoped.map((e) => e.accountId));
  const kubernetesRead = new Set(report.clusters.filter((c) => c.kubernetes).map((c) => c.arn));
  // By region and name only where every cluster so named was read: one account's `prod` read says nothing of
  // another account's `prod` in the same region.
  const byName = (c: { region: string; name: string }) => `${c.region}|${c.name}`;
  const kubernetesUnreadByName = new Set(report.clusters.filter((c) => !c.kubernetes).map(byName));
  const kubernetesReadByName = new Set(
    report.clusters
      .filter((c) => c.kubernetes)
      .map(byName)
      .filter((name) => !kubernetesUnreadByName.has(name)),
  );
  const providers = new Set(report.providers.map((p) => p.arn));
  const chainsRead = new Set(report.issuers.filter((i) => i.tls?.chain).map((i) => i.host.toLowerCase()));
  const clusterIssuers = new Map(report.clusters.map((c) => [c.arn, c.issuer]));
  const probedIssuers = new Set(report.issuers.map((i) => i.issuer));
  const answeredIssuers = new Set(
    report.issuers
      .filter((i) => i.discovery || i.error?.code === 'HTTP_404' || i.error?.code === 'HTTP_403')
      .map((i) => i.issuer),
  );

  const regionRead = (accountId: string, region: string) =>
    (entries.get(accountId)?.regionsAudited.includes(region) ?? false) &&
    !regionErrors.has(`${accountId}|${region}`);
  const read = (finding: AlertedFinding, what: Read): boolean => {
    const entry = entries.get(finding.accountId);
    switch (what) {
      case 'account-roles':
        return !!entry?.rolesAudited && !accountErrors.has(finding.accountId);
      case 'account-providers':
        return !!entry?.providersAudited && !accountErrors.has(finding.accountId);
      case 'region-clusters':
        return finding.region === null
          ? read(finding, 'account-clusters')
          : regionRead(finding.accountId, finding.region);
      case 'account-clusters':
        return (
          !!entry && !accountsWithRegionErrors.has(finding.accountId) && !accountErrors.has(finding.accountId)
        );
      case 'issuer-chain': {
        if (!providers.has(finding.resource)) return true;
        const host = /:oidc-provider\/([^/]+)/.exec(finding.resource)?.[1]?.toLowerCase();
        return !!host && chainsRead.has(host);
      }
      case 'every-account-region-clusters':
        return (
          report.scope.accounts.every((accountId) => entries.has(accountId)) &&
          report.errors.every((e) => e.region !== null && e.region !== finding.region)
        );
      case 'provider-issuer': {
        if (!providers.has(finding.resource)) return true;
        const url = finding.resource.slice(
          finding.resource.indexOf(':oidc-provider/') + ':oidc-provider/'.length,
        );
        return answeredIssuers.has(`https://${url}`);
      }
      case 'issuer-probe': {
        const issuer = clusterIssuers.get(finding.resource);
        if (issuer === undefined || issuer === null) return true;
        return probedIssuers.has(issuer) && !runWideRegions.has(finding.region);
      }
      case 'place':
        // A run-wide error (no account) is gone once a run gets through every run-wide stage.
        if (finding.accountId === '') return runWideRegions.size === 0;
        if (finding.region === null)
          return read(finding, 'account-roles') && read(finding, 'account-providers');
        return regionRead(finding.accountId, finding.region);
      case 'cluster-kubernetes':
        // By ARN when the finding is the cluster's; else (a role's trust) by the cluster it names.
        return (
          kubernetesRead.has(finding.resource) ||
          kubernetesReadByName.has(`${finding.region}|${finding.cluster}`)
        );
    }
  };
  return (finding: AlertedFinding): boolean => {
    if (scopeError) return false;
    if (finding.accountId !== '' && (!accounts.has(finding.accountId) || !entries.has(finding.accountId)))
      return false;
    return CATALOG[finding.check].dependsOn.every((what) => read(finding, what));
  };
}

export function alertedFinding(finding: Finding): AlertedFinding {
  const { id, check, severity, accountId, region, resource, cluster, message, remediation } = finding;
  return { id, check, severity, accountId, region, resource, cluster, message, remediation };
}

function transitionId(findingId: string, kind: TransitionKind, notifiedAt: string | undefined): string {
  return createHash('sha256')
    .update([findingId, kind, notifiedAt ?? '-'].join('\n'))
    .digest('hex')
    .slice(0, 16);
}

/** What changed since subscribers were last told: the transitions to alert, in digest order. */
export function planAlerts(
  report: Report,
  stored: readonly StoredFinding[],
  policy: AlertPolicy,
  context: PlanContext,
): AlertPlan {
  const now = context.now.getTime();
  const present = new Map(report.findings.map((f) => [f.id, f]));
  const byId = new Map(stored.map((s) => [s.id, s]));
  const observed = observedBy(report);
  const plan: AlertPlan = { transitions: [], refreshes: [], skipped: { busy: 0, newer: 0, unobserved: 0 } };
  const reportStart = Date.parse(report.startedAt);

  const usable = (item: StoredFinding): boolean => {
    if (item.claim && Date.parse(item.claim.expiresAt) > now) {
      plan.skipped.busy++;
      return false;
    }
    if (item.observedAt && Date.parse(item.observedAt) > reportStart) {
      plan.skipped.newer++;
      return false;
    }
    return true;
  };

  for (const finding of report.findings) {
    const item = byId.get(finding.id);
    // An accepted risk is neither alerted nor reminded of, nor resolved (it is still there). One subscribers were
    // told of is stored as not notified, silently, so that it is alerted as new once its entry expires.
    if (finding.muted) {
      if (item?.status === 'open' && usable(item))
        plan.refreshes.push({
          finding: alertedFinding(finding),
          expectedVersion: item.version,
          status: 'unnotified',
        });
      continue;
    }
    const alertable = atOrAbove(finding.severity, policy.minSeverity);
    if (!item || item.status === 'unnotified' || item.status === 'resolved') {
      if (!alertable || (item && !usable(item))) continue;
      plan.transitions.push({
        kind: 'new',
        finding: alertedFinding(finding),
        evidence: finding.evidence,
        expectedVersion: item ? item.version : null,
        ...(item?.status === 'resolved' && item.resolvedAt ? { reopenedAfter: item.resolvedAt } : {}),
        transitionId: transitionId(
          finding.id,
          'new',
          item?.status === 'resolved' ? item.notifiedAt : undefined,
        ),
      });
      continue;
    }
    // Open, and subscribers know.
    if (!usable(item)) continue;
    const lastTold = Date.parse(item.notifiedAt ?? item.openedAt ?? '');
    const due =
      policy.reminderDays > 0 &&
      alertable &&
      Number.isFinite(lastTold) &&
      now - lastTold >= policy.reminderDays * 86_400_000;
    if (due) {
      plan.transitions.push({
        kind: 'reminder',
        finding: alertedFinding(finding),
        evidence: finding.evidence,
        expectedVersion: item.version,
        ...(item.openedAt ? { openSince: item.openedAt } : {}),
        transitionId: transitionId(finding.id, 'reminder', item.notifiedAt),
      });
    } else if (changed(item, finding)) {
      plan.refreshes.push({ finding: alertedFinding(finding), expectedVersion: item.version });
    }
  }

  for (const item of stored) {
    if (item.status !== 'open' || present.has(item.id)) continue;
    if (!observed(item)) {
      plan.skipped.unobserved++;
      continue;
    }
    if (!usable(item)) continue;
    const {
      status: _s,
      notifiedAt: _n,
      openedAt,
      resolvedAt: _r,
      observedAt: _o,
      version,
      claim: _c,
      ...rest
    } = item;
    plan.transitions.push({
      kind: 'resolved',
      finding: rest,
      expectedVersion: version,
      ...(openedAt ? { openSince: openedAt } : {}),
      transitionId: transitionId(item.id, 'resolved', item.notifiedAt),
    });
  }
  plan.transitions.sort(compareTransitions);
  return plan;
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
export function compareTransitions(a: Transition, b: Transition): number {
  return (
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    severityRank(a.finding.severity) - severityRank(b.finding.severity) ||
    a.finding.accountId.localeCompare(b.finding.accountId) ||
    a.finding.check.localeCompare(b.finding.check) ||
    a.finding.resource.localeCompare(b.finding.resource) ||
    a.finding.id.localeCompare(b.finding.id)
  );
}

// ---- render --------------------------------------------------------------------------------------------

/** SNS Publish: 256 KiB for the message and its attributes together. */
export const SNS_MAX_BYTES = 256 * 1024;
export const SUBJECT_MAX_CHARS = 99;
export const DIGEST_TYPE = 'eks-oidc-auditor.alert-digest';

export interface DigestContext {
  digestId: string;
  report: Report;
  policy: AlertPolicy;
  /** The run's reports in the stack's bucket, when stored: the digest links to them. */
  reports?: StoredReports;
}

export interface DigestPart {
  part: number;
  parts: number;
  transitions: Transition[];
  subject: string;
  /** The Publish `Message`: `{"default": <JSON digest>, "email": <text>}` (MessageStructure json). */
  message: string;
  attributes: Record<string, { DataType: 'String' | 'String.Array' | 'Number'; StringValue: string }>;
  /** Message + attributes + subject, as SNS counts them against its limit. */
  bytes: number;
}

interface Counts {
  new: number;
  resolved: number;
  reminder: number;
}

function countKinds(transitions: readonly Transition[]): Counts {
  const counts: Counts = { new: 0, resolved: 0, reminder: 0 };
  for (const t of transitions) counts[t.kind]++;
  return counts;
}

function highest(transitions: readonly Transition[]): Severity | undefined {
  let best: Severity | undefined;
  for (const t of transitions) {
    if (best === undefined || severityRank(t.finding.severity) < severityRank(best))
      best = t.finding.severity;
  }
  return best;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Under 100 characters, one line: what changed, the worst new severity, and which part. */
export function subjectOf(all: Counts & { highestNew?: Severity }, part: number, parts: number): string {
  const pieces: string[] = [];
  if (all.new > 0) pieces.push(`${all.new} new${all.highestNew ? ` (worst: ${all.highestNew})` : ''}`);
  if (all.resolved > 0) pieces.push(`${all.resolved} resolved`);
  if (all.reminder > 0) pieces.push(`${all.reminder} still open`);
  const suffix = parts > 1 ? ` [${part}/${parts}]` : '';
  const subject = `EKS OIDC audit: ${pieces.join(', ') || 'no change'}${suffix}`.replace(/[\r\n\t]+/g, ' ');
  return subject.length <= SUBJECT_MAX_CHARS ? subject : `${subject.slice(0, SUBJECT_MAX_CHARS - 1)}…`;
}

function day(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : 'unknown';
}

function daysBetween(from: string | undefined, to: string): string {
  if (!from) return '';
  const days = Math.floor((Date.parse(to) - Date.parse(from)) / 86_400_000);
  return Number.isFinite(days) ? ` (${plural(days, 'day')})` : '';
}

const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line) => (line === '' ? '' : `${prefix}${line}`))
    .join('\n');

function findingBlock(t: Transition, runAt: string): string {
  // The state table may hold text from before findings were made printable; a line of an email must never start
  // where a value says it should.
  const f = {
    ...t.finding,
    check: printable(t.finding.check),
    resource: printable(t.finding.resource),
    region: t.finding.region === null ? null : printable(t.finding.region),
    cluster: t.finding.cluster === null ? null : printable(t.finding.cluster),
    message: printable(t.finding.message),
    remediation: printableLines(t.finding.remediation),
  };
  const where = [f.region ?? 'global', f.cluster ? `cluster ${f.cluster}` : ''].filter(Boolean).join(', ');
  const lines = [`* ${f.check}: ${f.resource}`, `  Where: ${where}`];
  if (t.kind === 'resolved') {
    lines.push(`  Was: ${f.message}`);
    lines.push(`  Open since ${day(t.openSince)}; gone in the audit of ${day(runAt)}.`);
  } else {
    lines.push(`  Finding: ${f.message}`);
    const symptom = catalogSymptom(t.finding.check);
    if (symptom) lines.push(`  Symptom: ${symptom}`);
    lines.push('  Fix:', indent(f.remediation, '    '));
    if (t.kind === 'reminder') {
      lines.push(`  Open since ${day(t.openSince)}${daysBetween(t.openSince, runAt)}.`);
    } else if (t.reopenedAfter) {
      lines.push(`  Back after it was resolved on ${day(t.reopenedAfter)}.`);
    }
  }
  lines.push(`  Docs: ${checkDocsUrl(f.check)}`);
  if (t.kind !== 'resolved')
    lines.push(
      '  To accept the risk, add to the suppression file (docs/suppressions.md):',
      ...suppressionEntry(t.finding).map((line) => `    ${line}`),
    );
  if (t.shortened) lines.push(`  Note: ${t.shortened}.`);
  lines.push(`  Finding ${f.id}, transition ${t.transitionId}`);
  return lines.join('\n');
}

const SECTION: Record<TransitionKind, string> = {
  new: 'NEW',
  resolved: 'RESOLVED',
  reminder: 'STILL OPEN',
};

/** The email text of one part: by kind, then severity, then account; each finding with its symptom and fix. */
export function renderEmail(
  context: DigestContext,
  transitions: readonly Transition[],
  part: number,
  parts: number,
  all: Counts,
): string {
  const { report, policy } = context;
  const open = report.summary.findings;
  const lines: string[] = [
    subjectOf({ ...all, highestNew: highest(transitions.filter((t) => t.kind === 'new')) }, part, parts),
    '',
    `Audit: ${report.trigger} run started ${report.startedAt}, finished ${report.finishedAt}; ` +
      scopeCounts(report) +
      (report.summary.errors > 0 ? `; ${plural(report.summary.errors, 'audit error')}.` : '.'),
    `Open now: ${SEVERITIES.map((s) => `${open[s]} ${s}`).join(', ')}.`,
    `Alerting on ${policy.minSeverity} and above` +
      (policy.reminderDays > 0
        ? `; reminders after ${plural(policy.reminderDays, 'day')}.`
        : '; no reminders.'),
    ...coverageLines(report),
    ...(context.reports
      ? [`Full report: ${context.reports.html.consoleUrl}`, `JSON report: ${context.reports.json.s3Uri}`]
      : []),
  ];
  const inPart = countKinds(transitions);
  for (const kind of ['new', 'resolved', 'reminder'] as const) {
    const ofKind = transitions.filter((t) => t.kind === kind);
    if (ofKind.length === 0) continue;
    const title =
      kind === 'reminder'
        ? `${SECTION[kind]} AFTER ${plural(policy.reminderDays, 'DAY').toUpperCase()}`
        : SECTION[kind];
    lines.push('', `${title} (${all[kind]}${parts > 1 ? `; ${inPart[kind]} in this part` : ''})`);
    for (const severity of SEVERITIES) {
      const ofSeverity = ofKind.filter((t) => t.finding.severity === severity);
      if (ofSeverity.length === 0) continue;
      lines.push('', `  ${severity.toUpperCase()}`);
      let account: string | undefined;
      for (const t of ofSeverity) {
        if (t.finding.accountId !== account) {
          account = t.finding.accountId;
          lines.push(`    Account ${accountLabel(report.scope.accountNames, account)}`);
        }
        lines.push(indent(findingBlock(t, report.finishedAt), '      '));
      }
    }
  }
  lines.push(
    '',
    '--',
    parts > 1
      ? `Part ${part} of ${parts} of digest ${context.digestId}: every finding of the digest is in exactly one part.`
      : `Digest ${context.digestId}.`,
    'Sent by eks-oidc-auditor, once per change: a finding is alerted when it appears, when it is resolved, ' +
      'and as a reminder while it stays open.',
  );
  return `${lines.join('\n')}\n`;
}

/** Names shown in the digest before "and N more": the report lists them all. */
const BLIND_NAMED = 20;

/** What the run could not see, at the top of every digest: a quiet digest must not read as "all clear". */
function coverageLines(report: Report): string[] {
  const coverage = report.summary.coverage;
  if (coverage.percent >= 100 && coverage.blindAccounts.length === 0) return [];
  const lines = [
    `Coverage: ${coverage.percent}% (${coverage.pairsAudited} of ${plural(coverage.pairsInScope, 'account × region pair')} audited).`,
  ];
  if (coverage.blindAccounts.length > 0) {
    const named = coverage.blindAccounts
      .slice(0, BLIND_NAMED)
      .map((id) => accountLabel(report.scope.accountNames, id));
    const more = coverage.blindAccounts.length - named.length;
    lines.push(
      `Blind: ${plural(coverage.blindAccounts.length, 'account')} could not be read at all: ${named.join(', ')}` +
        (more > 0 ? `, and ${more} more (see the report).` : '.'),
    );
  }
  return lines;
}

interface JsonTransition {
  kind: TransitionKind;
  transitionId: string;
  finding: AlertedFinding & { evidence?: Record<string, unknown> };
  /** The check's section of docs/checks.md. */
  docs: string;
  openSince?: string;
  reopenedAfter?: string;
  /** Set when the entry had to be shortened to fit one SNS message (see the report for the rest). */
  shortened?: string;
}

function jsonTransition(t: Transition): JsonTransition {
  return {
    kind: t.kind,
    transitionId: t.transitionId,
    finding: { ...t.finding, ...(t.evidence ? { evidence: t.evidence } : {}) },
    docs: checkDocsUrl(t.finding.check),
    ...(t.openSince ? { openSince: t.openSince } : {}),
    ...(t.reopenedAfter ? { reopenedAfter: t.reopenedAfter } : {}),
    ...(t.shortened ? { shortened: t.shortened } : {}),
  };
}

/** The JSON body for sqs, lambda, https (and every protocol without its own key). */
export function renderJson(
  context: DigestContext,
  transitions: readonly Transition[],
  part: number,
  parts: number,
  all: Counts,
): string {
  const { report, policy } = context;
  return JSON.stringify({
    type: DIGEST_TYPE,
    schemaVersion: 1,
    digestId: context.digestId,
    part,
    parts,
    audit: {
      trigger: report.trigger,
      startedAt: report.startedAt,
      finishedAt: report.finishedAt,
      accounts: report.scope.accounts.length,
      regions: report.scope.regions.length,
      /** What was read of that scope (`accounts` and `regions` are what was in scope). */
      audited: { accounts: report.summary.accounts, regions: report.summary.regions },
      errors: report.summary.errors,
      open: report.summary.findings,
    },
    policy,
    ...(context.reports ? { reports: context.reports } : {}),
    counts: { new: all.new, resolved: all.resolved, reminder: all.reminder },
    transitions: transitions.map(jsonTransition),
  });
}

function attributesOf(
  context: DigestContext,
  transitions: readonly Transition[],
  part: number,
  parts: number,
): DigestPart['attributes'] {
  const alerting = transitions.filter((t) => t.kind !== 'resolved');
  const top = highest(alerting.length > 0 ? alerting : transitions) ?? 'info';
  const severities = SEVERITIES.filter((s) => transitions.some((t) => t.finding.severity === s));
  const checks = [...new Set(transitions.map((t) => t.finding.check))].sort();
  const kinds = (['new', 'resolved', 'reminder'] as const).filter((k) =>
    transitions.some((t) => t.kind === k),
  );
  // Eight attributes: SQS raw delivery drops messages with more than ten (docs/aws-apis.md).
  return {
    severity: { DataType: 'String', StringValue: top },
    severities: { DataType: 'String.Array', StringValue: JSON.stringify(severities) },
    checks: { DataType: 'String.Array', StringValue: JSON.stringify(checks) },
    kinds: { DataType: 'String.Array', StringValue: JSON.stringify(kinds) },
    trigger: { DataType: 'String', StringValue: context.report.trigger },
    digestId: { DataType: 'String', StringValue: context.digestId },
    part: { DataType: 'Number', StringValue: String(part) },
    parts: { DataType: 'Number', StringValue: String(parts) },
  };
}

function attributeBytes(attributes: DigestPart['attributes']): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(attributes)) {
    bytes +=
      Buffer.byteLength(name) + Buffer.byteLength(value.DataType) + Buffer.byteLength(value.StringValue);
  }
  return bytes;
}

export function renderPart(
  context: DigestContext,
  transitions: Transition[],
  part: number,
  parts: number,
  all: Counts & { highestNew?: Severity },
): DigestPart {
  const subject = subjectOf(all, part, parts);
  const message = JSON.stringify({
    default: renderJson(context, transitions, part, parts, all),
    email: renderEmail(context, transitions, part, parts, all),
  });
  const attributes = attributesOf(context, transitions, part, parts);
  const bytes = Buffer.byteLength(message) + attributeBytes(attributes) + Buffer.byteLength(subject);
  return { part, parts, transitions, subject, message, attributes, bytes };
}

// ---- split ---------------------------------------------------------------------------------------------

/** What one transition adds to a message: its email block and its JSON entry, both escaped inside the envelope. */
function transitionBytes(t: Transition, runAt: string): number {
  const email = Buffer.byteLength(JSON.stringify(indent(findingBlock(t, runAt), '      ')));
  const json = Buffer.byteLength(JSON.stringify(JSON.stringify(jsonTransition(t))));
  // Plus the headings (severity, account) a transition may open, and separators.
  return email + json + 200;
}

const SHORT_LIMIT = 2000;

/**
 * A transition that cannot fit one message on its own (a huge evidence object, say) is shortened visibly: the
 * evidence goes first, then the text is cut with a note, and `shortened` says what was left out. Never silently.
 */
function fitAlone(t: Transition, budget: number, runAt: string): Transition {
  if (transitionBytes(t, runAt) <= budget) return t;
  const { evidence: _evidence, ...rest } = t;
  const withoutEvidence: Transition = {
    ...rest,
    shortened: 'evidence left out: too large for one SNS message; see the audit report',
  };
  if (transitionBytes(withoutEvidence, runAt) <= budget) return withoutEvidence;
  const cut = (text: string) =>
    text.length <= SHORT_LIMIT
      ? text
      : `${text.slice(0, SHORT_LIMIT)}\n[… ${text.length - SHORT_LIMIT} more characters: see the audit report]`;
  return {
    ...withoutEvidence,
    finding: { ...t.finding, message: cut(t.finding.message), remediation: cut(t.finding.remediation) },
    shortened: 'evidence left out and text cut: too large for one SNS message; see the audit report',
  };
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
  const all = {
    ...countKinds(transitions),
    highestNew: highest(transitions.filter((t) => t.kind === 'new')),
  };
  const runAt = context.report.finishedAt;
  const overhead = renderPart(context, [], 9999, 9999, all).bytes + 4096;
  const budget = limit - overhead;
  if (budget <= 0) throw new Error(`an SNS message limit of ${limit} bytes leaves no room for findings`);
  const fitted = transitions.map((t) => fitAlone(t, budget, runAt));

  let groups: Transition[][] = [];
  let current: Transition[] = [];
  let used = 0;
  for (const t of fitted) {
    const size = transitionBytes(t, runAt);
    if (current.length > 0 && used + size > budget) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(t);
    used += size;
  }
  if (current.length > 0) groups.push(current);

  for (;;) {
    const parts = groups.map((group, i) => renderPart(context, group, i + 1, groups.length, all));
    const tooBig = parts.findIndex((p) => p.bytes > limit);
    if (tooBig === -1) return parts;
    const group = groups[tooBig] as Transition[];
    if (group.length === 1) {
      throw new Error(`finding ${group[0]?.finding.id}: does not fit one SNS message even shortened`);
    }
    const half = Math.ceil(group.length / 2);
    groups = [
      ...groups.slice(0, tooBig),
      group.slice(0, half),
      group.slice(half),
      ...groups.slice(tooBig + 1),
    ];
  }
}
