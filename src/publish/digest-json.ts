// The digest as JSON, for sqs, lambda, https and every protocol without its own key in the SNS message: the run,
// the alert policy, the links to the reports, the counts, and each transition with its finding and docs.

import { checkDocsUrl } from '../report/tool.ts';
import type { Transition } from './alert-plan.ts';
import type { AlertedFinding } from './alerted-finding.ts';
import type { PartView } from './digest-summary.ts';
import type { TransitionKind } from './state.ts';

export const DIGEST_TYPE = 'eks-oidc-auditor.alert-digest';

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

export function jsonTransition(t: Transition): JsonTransition {
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
export function renderJson({ context, transitions, part, parts, all }: PartView): string {
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
