// Findings into AWS Security Hub CSPM (docs/security-hub.md): each finding imported as an ASFF finding of this
// account's default product, 100 per BatchImportFindings call, the ones Security Hub refuses retried once and
// then reported; findings of ours still ACTIVE in Security Hub that this run saw gone are archived
// (RecordState ARCHIVED) and their workflow set to RESOLVED. Accepted risks go in SUPPRESSED.

import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  paginateGetFindings,
  type SecurityHubClient,
  type SeverityLabel,
} from '@aws-sdk/client-securityhub';
import { CATALOG } from '../model/catalog.ts';
import type { Finding, Severity } from '../model/finding.ts';
import type { Report } from '../report/types.ts';
import { type ObservedFinding, observedBy } from './observed-by.ts';

export const GENERATOR_PREFIX = 'eks-oidc-auditor/';
const BATCH = 100;
const LABEL: Record<Severity, SeverityLabel> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

export interface SecurityHubTarget {
  /** The account whose hub receives the findings: the auditor's own (a custom product imports only there). */
  accountId: string;
  partition: string;
  region: string;
}

export interface SecurityHubOutcome {
  imported: number;
  failed: { id: string; code: string; message: string }[];
  archived: number;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function productArn(target: SecurityHubTarget): string {
  return `arn:${target.partition}:securityhub:${target.region}:${target.accountId}:product/${target.accountId}/default`;
}

function resourceType(resource: string): string {
  if (resource.includes(':role/')) return 'AwsIamRole';
  if (resource.includes(':cluster/')) return 'AwsEksCluster';
  return 'Other';
}

/** One finding in the AWS Security Finding Format. */
export function toAsff(finding: Finding, report: Report, target: SecurityHubTarget): AwsSecurityFinding {
  const declared = CATALOG[finding.check];
  return {
    SchemaVersion: '2018-10-08',
    Id: `${GENERATOR_PREFIX}${finding.id}`,
    ProductArn: productArn(target),
    GeneratorId: `${GENERATOR_PREFIX}${finding.check}`,
    AwsAccountId: target.accountId,
    Types: ['Software and Configuration Checks/AWS Security Best Practices'],
    CreatedAt: report.finishedAt,
    UpdatedAt: report.finishedAt,
    Severity: { Label: LABEL[finding.severity] },
    Title: clip(`${finding.check}: ${declared.finds.replaceAll('`', '')}`, 256),
    Description: clip(finding.message, 1024),
    Remediation: {
      Recommendation: { Text: clip(`${finding.remediation} (see docs/checks.md#${finding.check})`, 512) },
    },
    ProductFields: {
      [`${GENERATOR_PREFIX}Check`]: finding.check,
      [`${GENERATOR_PREFIX}AccountId`]: finding.accountId,
      [`${GENERATOR_PREFIX}Region`]: finding.region ?? 'global',
      [`${GENERATOR_PREFIX}FindingId`]: finding.id,
    },
    Resources: [
      {
        Type: resourceType(finding.resource),
        Id: finding.resource,
        Partition: (finding.resource.startsWith('arn:')
          ? finding.resource.split(':')[1]
          : target.partition) as never,
        Region: finding.region ?? target.region,
      },
    ],
    RecordState: 'ACTIVE',
    Workflow: { Status: finding.muted ? 'SUPPRESSED' : 'NEW' },
  };
}

export async function sendToSecurityHub(
  report: Report,
  client: SecurityHubClient,
  target: SecurityHubTarget,
): Promise<SecurityHubOutcome> {
  const findings = report.findings.map((finding) => toAsff(finding, report, target));
  const { imported, failed } = await importAll(client, findings);
  const archived = await archiveGone(report, client, target);
  return { imported, failed, archived };
}

async function importAll(client: SecurityHubClient, findings: AwsSecurityFinding[]) {
  let imported = 0;
  let failed: SecurityHubOutcome['failed'] = [];
  for (let start = 0; start < findings.length; start += BATCH) {
    const batch = findings.slice(start, start + BATCH);
    let result = await client.send(new BatchImportFindingsCommand({ Findings: batch }));
    imported += result.SuccessCount ?? 0;
    // Refused ones once more: a throttled or conflicting write often goes through the second time.
    const retry = batch.filter((f) => result.FailedFindings?.some((x) => x.Id === f.Id));
    if (retry.length > 0) {
      result = await client.send(new BatchImportFindingsCommand({ Findings: retry }));
      imported += result.SuccessCount ?? 0;
      failed = [
        ...failed,
        ...(result.FailedFindings ?? []).map((x) => ({
          id: x.Id ?? '',
          code: x.ErrorCode ?? 'Unknown',
          message: x.ErrorMessage ?? '',
        })),
      ];
    }
  }
  return { imported, failed };
}

/** Our ACTIVE findings that this run did not report, where it read what they depend on: archived and RESOLVED. */
async function archiveGone(
  report: Report,
  client: SecurityHubClient,
  target: SecurityHubTarget,
): Promise<number> {
  const gone = await findGone(report, client, target);
  for (let start = 0; start < gone.length; start += BATCH) {
    await archive(client, gone.slice(start, start + BATCH), report.finishedAt);
  }
  return gone.length;
}

async function findGone(
  report: Report,
  client: SecurityHubClient,
  target: SecurityHubTarget,
): Promise<AwsSecurityFinding[]> {
  const present = new Set(report.findings.map((f) => `${GENERATOR_PREFIX}${f.id}`));
  const observed = observedBy(report);
  const gone: AwsSecurityFinding[] = [];
  const pages = paginateGetFindings(
    { client },
    {
      Filters: {
        ProductArn: [{ Value: productArn(target), Comparison: 'EQUALS' }],
        GeneratorId: [{ Value: GENERATOR_PREFIX, Comparison: 'PREFIX' }],
        RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      },
      MaxResults: 100,
    },
  );
  for await (const page of pages) {
    for (const finding of page.Findings ?? []) {
      if (!finding.Id || present.has(finding.Id)) continue;
      const ours = ourFinding(finding);
      if (ours && observed(ours)) gone.push(finding);
    }
  }
  return gone;
}

/** What observedBy needs of a finding we imported (toAsff's product fields); none for a check this version lacks. */
function ourFinding(finding: AwsSecurityFinding): ObservedFinding | undefined {
  const fields = finding.ProductFields ?? {};
  const region = fields[`${GENERATOR_PREFIX}Region`];
  const check = fields[`${GENERATOR_PREFIX}Check`] as Finding['check'] | undefined;
  if (!check || !(check in CATALOG)) return undefined;
  return {
    check,
    accountId: fields[`${GENERATOR_PREFIX}AccountId`] ?? '',
    region: region === 'global' || region === undefined ? null : region,
    resource: finding.Resources?.[0]?.Id ?? '',
    // Not among the product fields toAsff writes.
    cluster: null,
  };
}

async function archive(client: SecurityHubClient, batch: AwsSecurityFinding[], at: string): Promise<void> {
  await client.send(
    new BatchImportFindingsCommand({
      Findings: batch.map((f) => ({ ...f, UpdatedAt: at, RecordState: 'ARCHIVED' })),
    }),
  );
  await client.send(
    new BatchUpdateFindingsCommand({
      FindingIdentifiers: batch.map((f) => ({ Id: f.Id as string, ProductArn: f.ProductArn as string })),
      Workflow: { Status: 'RESOLVED' },
      Note: { Text: 'resolved: the audit no longer finds it', UpdatedBy: 'eks-oidc-auditor' },
    }),
  );
}
