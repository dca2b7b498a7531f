// The digest as e-mail text: by kind, then severity, then account; each finding with its symptom, its fix, its
// docs and the suppression entry that accepts it. Every value from AWS is made printable first.

import { SEVERITIES } from '../model/finding.ts';
import { accountLabel } from '../report/account-label.ts';
import { scopeCounts } from '../report/scope-counts.ts';
import { checkDocsUrl } from '../report/tool.ts';
import type { Report } from '../report/types.ts';
import { printable, printableLines } from '../text/quote.ts';
import type { Transition } from './alert-plan.ts';
import { catalogSymptom, suppressionEntry } from './digest-finding.ts';
import { countKinds, type DigestContext, type PartView } from './digest-summary.ts';
import type { TransitionKind } from './state.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

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

/** The lines of one transition, indented as the e-mail nests them under its severity and account. */
export function emailEntry(t: Transition, runAt: string): string {
  return indent(findingBlock(t, runAt), '      ');
}

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
export function renderEmail({ context, transitions, part, parts, all, subject }: PartView): string {
  // The Subject, not this part's own worst: a part's first line must not contradict the digest's.
  const lines: string[] = [subject, '', ...headLines(context)];
  const inPart = countKinds(transitions);
  for (const kind of ['new', 'resolved', 'reminder'] as const) {
    const ofKind = transitions.filter((t) => t.kind === kind);
    if (ofKind.length === 0) continue;
    const title =
      kind === 'reminder'
        ? `${SECTION[kind]} AFTER ${plural(context.policy.reminderDays, 'DAY').toUpperCase()}`
        : SECTION[kind];
    lines.push('', `${title} (${all[kind]}${parts > 1 ? `; ${inPart[kind]} in this part` : ''})`);
    lines.push(...sectionLines(context.report, ofKind));
  }
  lines.push('', '--', ...footLines(context.digestId, part, parts));
  return `${lines.join('\n')}\n`;
}

/** The run, what is open now, the alert policy, what the run could not see, and the links to its reports. */
function headLines({ report, policy, reports }: DigestContext): string[] {
  const open = report.summary.findings;
  return [
    `Audit: ${report.trigger} run started ${report.startedAt}, finished ${report.finishedAt}; ` +
      scopeCounts(report) +
      (report.summary.errors > 0 ? `; ${plural(report.summary.errors, 'audit error')}.` : '.'),
    `Open now: ${SEVERITIES.map((s) => `${open[s]} ${s}`).join(', ')}.`,
    `Alerting on ${policy.minSeverity} and above` +
      (policy.reminderDays > 0
        ? `; reminders after ${plural(policy.reminderDays, 'day')}.`
        : '; no reminders.'),
    ...coverageLines(report),
    ...(reports ? [`Full report: ${reports.html.consoleUrl}`, `JSON report: ${reports.json.s3Uri}`] : []),
  ];
}

/** One kind's transitions by severity, then account (the plan's order keeps an account's findings together). */
function sectionLines(report: Report, ofKind: readonly Transition[]): string[] {
  const lines: string[] = [];
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
      lines.push(emailEntry(t, report.finishedAt));
    }
  }
  return lines;
}

function footLines(digestId: string, part: number, parts: number): string[] {
  return [
    parts > 1
      ? `Part ${part} of ${parts} of digest ${digestId}: every finding of the digest is in exactly one part.`
      : `Digest ${digestId}.`,
    'Sent by eks-oidc-auditor, once per change: a finding is alerted when it appears, when it is resolved, ' +
      'and as a reminder while it stays open.',
  ];
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
