// Builders for the publish tests: findings and reports with stable ids and realistic shapes, alert state as the
// store keeps it, and sandbox worlds with the alert topic and state table a deployment has.

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { type FindingInput, makeFinding } from '../../src/checks/finding.ts';
import { steps } from '../../src/checks/remediation.ts';
import type { PublishClients } from '../../src/clients/aws.ts';
import { CATALOG } from '../../src/model/catalog.ts';
import { type Coverage, type Finding, SEVERITIES, type Severity } from '../../src/model/finding.ts';
import type { Report } from '../../src/report/types.ts';
import type { Sandbox } from '../sandbox/server.ts';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const REGION = 'us-east-1';
export const T0 = new Date('2026-11-22T06:00:00.000Z');
export const DAY_MS = 86_400_000;
export const TOPIC_ARN = `arn:aws:sns:us-east-1:111111111111:eks-oidc-auditor-test-alerts`;
export const STATE_TABLE = 'eks-oidc-auditor-test-alert-state';

/** A finding about role `name`; its id is stable (check + resource), as the checks make it. */
/**
 * A finding as the publish step sees it. Its severity may be any, as alert tests need (a finding whose severity
 * changed between runs): the catalog's rule binds the checks, not the stored findings these tests stand for.
 */
export function aFinding(name: string, fields: Partial<Omit<Finding, 'id'>> = {}): Finding {
  const accountId = fields.accountId ?? ACCOUNT;
  const check = fields.check ?? 'trust-no-sub';
  const made = makeFinding({
    check: 'trust-no-sub',
    accountId,
    region: null,
    resource: `arn:aws:iam::${accountId}:role/irsa/${name}`,
    cluster: null,
    message: `Role ${name}: no :sub condition, so any service account of the cluster can assume it (AccessDenied never happens)`,
    remediation: steps(
      `aws iam update-assume-role-policy --role-name ${name} --policy-document file://trust.json`,
      '# trust.json: add "StringEquals": {"<issuer>:sub": "system:serviceaccount:<ns>:<sa>"}',
    ),
    evidence: { expected: 'a :sub condition', found: 'none' },
    ...fields,
    severity: CATALOG[check].severities[0],
    // Any check with its first declared severity: the union of checks loses which severity is whose.
  } as FindingInput);
  return { ...made, severity: fields.severity ?? 'critical' };
}

export interface ReportFields {
  findings?: Finding[];
  startedAt?: Date;
  accounts?: string[];
  regions?: string[];
  errors?: Report['errors'];
  providers?: Report['providers'];
  issuers?: Report['issuers'];
  trigger?: Report['trigger'];
  /** Default: every account × region read. */
  coverage?: Partial<Coverage>;
  accountNames?: Record<string, string>;
}

/** A report of a run that started at `startedAt` (default T0) and took 42 s. */
export function aReport(fields: ReportFields = {}): Report {
  const findings = fields.findings ?? [];
  const startedAt = fields.startedAt ?? T0;
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  const accounts = fields.accounts ?? [ACCOUNT];
  const regions = fields.regions ?? [REGION];
  const errors = fields.errors ?? [];
  return {
    schemaVersion: 1,
    trigger: fields.trigger ?? 'schedule',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date(startedAt.getTime() + 42_000).toISOString(),
    scope: { accounts, regions, ...(fields.accountNames ? { accountNames: fields.accountNames } : {}) },
    summary: {
      accounts: accounts.length,
      regions: regions.length,
      clusters: 3,
      providers: 2,
      roles: 7,
      findings: counts,
      errors: errors.length,
      coverage: {
        pairsInScope: accounts.length * regions.length,
        pairsAudited: accounts.length * regions.length,
        percent: 100,
        blindAccounts: [],
        ...fields.coverage,
      },
    },
    accounts: accounts.map((accountId) => ({
      accountId,
      partition: 'aws',
      regionsAudited: regions,
      providersAudited: true,
      rolesAudited: true,
    })),
    clusters: [],
    providers: fields.providers ?? [],
    issuers: fields.issuers ?? [],
    errors,
    findings,
  };
}

/** `days` after T0. */
export function later(days: number): Date {
  return new Date(T0.getTime() + days * DAY_MS);
}

/** `count` findings over `accounts` accounts, of every severity, with realistic text. */
export function manyFindings(count: number, accounts = 50): Finding[] {
  return Array.from({ length: count }, (_, i) =>
    aFinding(`role-${String(i).padStart(5, '0')}`, {
      accountId: String(100000000000 + (i % accounts)),
      severity: SEVERITIES[i % SEVERITIES.length] as Severity,
    }),
  );
}

/** Real SDK clients pointed at the sandbox, as the caller; few attempts unless a test is about retries. */
export function sandboxPublishClients(sandbox: Sandbox, maxAttempts = 3): PublishClients {
  const config = (region: string) => ({
    ...sandbox.clientConfig(undefined, region),
    retryMode: 'standard',
    maxAttempts,
  });
  return {
    cloudwatch: (region) => new CloudWatchClient(config(region)),
    sns: (region) => new SNSClient(config(region)),
    dynamodb: (region) => new DynamoDBClient(config(region)),
    securityhub: async (region) => new SecurityHubClient(config(region)),
    s3: async (region) => new S3Client({ ...config(region), followRegionRedirects: true }),
  };
}
