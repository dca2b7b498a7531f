// The part of a finding an alert shows and the alert state keeps, so that a resolution can say what was resolved
// after the finding is gone from the report. Evidence and mutes stay in the report.

import type { Finding } from '../model/finding.ts';

/** In the order alerts and the state table write them (the digest's JSON keeps this order). */
export const ALERTED_FIELDS = [
  'id',
  'check',
  'severity',
  'accountId',
  'region',
  'resource',
  'cluster',
  'message',
  'remediation',
] as const satisfies readonly (keyof Finding)[];

export type AlertedFinding = Pick<Finding, (typeof ALERTED_FIELDS)[number]>;

export function alertedFinding(finding: AlertedFinding): AlertedFinding {
  return Object.fromEntries(ALERTED_FIELDS.map((field) => [field, finding[field]])) as AlertedFinding;
}
