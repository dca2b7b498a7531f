// The findings as OCSF Detection Findings (class 2004, category 2 Findings), one JSON object per line: the
// format the current AWS Security Hub and most SIEMs take. docs/formats.md says which field holds what.

import { CATALOG } from '../model/catalog.ts';
import type { Finding, Severity } from '../model/finding.ts';
import type { Report } from './types.ts';

export const OCSF_VERSION = '1.4.0';
const DETECTION_FINDING = 2004;
const FINDINGS_CATEGORY = 2;
const CREATE = 1;
const SEVERITY_ID: Record<Severity, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME: Record<Severity, string> = {
  info: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

export interface OcsfProduct {
  name: string;
  version: string;
}

export function ocsfFinding(finding: Finding, report: Report, product: OcsfProduct): Record<string, unknown> {
  const declared = CATALOG[finding.check];
  const time = Date.parse(report.finishedAt);
  const accountName = report.scope.accountNames?.[finding.accountId];
  return {
    activity_id: CREATE,
    activity_name: 'Create',
    category_uid: FINDINGS_CATEGORY,
    category_name: 'Findings',
    class_uid: DETECTION_FINDING,
    class_name: 'Detection Finding',
    type_uid: DETECTION_FINDING * 100 + CREATE,
    time,
    severity_id: SEVERITY_ID[finding.severity],
    severity: SEVERITY_NAME[finding.severity],
    // An accepted risk (the suppression file) is Suppressed, with why in the status detail.
    ...(finding.muted
      ? { status_id: 3, status: 'Suppressed', status_detail: finding.muted.reason }
      : { status_id: 1, status: 'New' }),
    message: finding.message,
    metadata: {
      version: OCSF_VERSION,
      product: { name: product.name, vendor_name: product.name, version: product.version },
      event_code: finding.check,
      uid: finding.id,
    },
    finding_info: {
      uid: finding.id,
      title: `${finding.check}: ${declared.finds.replaceAll('`', '')}`,
      desc: finding.message,
      types: [declared.family],
      analytic: { uid: finding.check, name: finding.check, type_id: 1, type: 'Rule' },
    },
    remediation: { desc: finding.remediation, references: [declared.docs] },
    cloud: {
      provider: 'AWS',
      ...(finding.region ? { region: finding.region } : {}),
      ...(finding.accountId
        ? {
            account: {
              uid: finding.accountId,
              type: 'AWS Account',
              ...(accountName ? { name: accountName } : {}),
            },
          }
        : {}),
    },
    resources: [
      {
        uid: finding.resource,
        ...(finding.cluster ? { name: finding.cluster } : {}),
        ...(finding.region ? { region: finding.region } : {}),
        cloud_partition: finding.resource.startsWith('arn:') ? finding.resource.split(':')[1] : undefined,
      },
    ],
    unmapped: { evidence: finding.evidence },
  };
}

/**
 * One OCSF object per line (JSON Lines), in the report's order, a finding at a time: an organization's findings
 * can outgrow one string (src/text/chunked-output.ts).
 */
export function* ocsfLines(report: Report, product: OcsfProduct): Generator<string> {
  for (const finding of report.findings) yield `${JSON.stringify(ocsfFinding(finding, report, product))}\n`;
}
