// Findings and their vocabulary: severities with their one ranking, triggers, coverage; the check ids come from
// the catalog (catalog.ts). Every stage speaks these words; this folder imports nothing of the project.

import type { CheckId } from './catalog.ts';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export { CHECK_IDS, type CheckId } from './catalog.ts';

/** A finding; `C` narrows which checks it can be of (what a check family may emit, src/checks/family.ts). */
export interface Finding<C extends CheckId = CheckId> {
  /** Stable hash of check + resource (+ a discriminator), so alerting can follow a finding across runs. */
  id: string;
  check: C;
  severity: Severity;
  accountId: string;
  region: string | null;
  /** ARN of the cluster, provider or role, or `account:<id>` / `region:<id>/<region>`. */
  resource: string;
  cluster: string | null;
  /** One line, with the symptom users see (the STS error text). */
  message: string;
  /** The exact command or policy change, with real values. */
  remediation: string;
  evidence: Record<string, unknown>;
  /** An accepted risk (the suppression file): not alerted, not counted by --fail-on or the severity metrics. */
  muted?: { reason: string; expires?: string; entry: number };
}

export type Trigger = 'schedule' | 'manual' | 'cli';

export interface Coverage {
  /** Account × region pairs in scope. */
  pairsInScope: number;
  /** Of those, the pairs read completely (the region's EKS and the account's IAM). */
  pairsAudited: number;
  /** pairsAudited over pairsInScope, in percent, rounded down to a tenth: 100 only when nothing was missed. */
  percent: number;
  /** Accounts that could not be read at all (src/inventory/blind.ts). */
  blindAccounts: string[];
  /** With --kubernetes only: the clusters found, and those whose Kubernetes side was read. */
  kubernetes?: { clusters: number; read: number };
}

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** 0 for critical, 4 for info: the one ranking of severities. */
export function severityRank(severity: Severity): number {
  return RANK[severity];
}

/** Whether `severity` is `threshold` or more severe (critical is the highest). */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] <= RANK[threshold];
}
