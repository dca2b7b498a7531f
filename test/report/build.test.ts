import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import type { Finding } from '../../src/model/finding.ts';
import { buildReport, hasFindingAtOrAbove } from '../../src/report/build.ts';
import type { Scope } from '../../src/scope/types.ts';
import { ACCOUNT_ID, aCluster, aHealthyInventory, anAuditError, anInventory } from '../support/inventory.ts';

const times = { startedAt: new Date('2026-11-22T12:00:00Z'), finishedAt: new Date('2026-11-22T12:00:05Z') };

function aScope(): Scope {
  return {
    callerAccountId: ACCOUNT_ID,
    partition: 'aws',
    accountsInScope: [ACCOUNT_ID],
    regionsInScope: ['us-east-1'],
    targets: [],
    accountNames: {},
    ouPaths: {},
    errors: [],
  };
}

function aFinding(severity: Finding['severity']): Finding {
  return {
    id: severity,
    check: 'audience-extra',
    severity,
    accountId: ACCOUNT_ID,
    region: null,
    resource: 'arn:aws:iam::111122223333:oidc-provider/x',
    cluster: null,
    message: 'm',
    remediation: 'r',
    evidence: {},
  };
}

describe('the JSON report', () => {
  it('shows per cluster the roles its service accounts can assume, and as which subjects', () => {
    // Prepare: the healthy inventory has one role trusting system:serviceaccount:default:app
    const inventory = aHealthyInventory();

    // Act
    const report = buildReport(resolveConfig('cli', {}), aScope(), deriveFacts(inventory), [], times);

    // Assess
    expect(report.clusters).toHaveLength(1);
    expect(report.clusters[0]?.assumableRoles).toEqual([
      expect.objectContaining({
        roleArn: inventory.roles[0]?.arn,
        subjects: ['default:app'],
        breadth: 'exact',
        audiences: ['sts.amazonaws.com'],
        providerVerified: true,
      }),
    ]);
  });

  it('lists the audit errors and the organization by place, whatever order the reads ended in', () => {
    // Prepare: errors and OU paths in the order answers came
    const inventory = anInventory({
      errors: [
        anAuditError({ accountId: '222222222222', region: 'us-east-1', stage: 'eks' }),
        anAuditError({ accountId: '111111111111', region: 'eu-west-1', stage: 'eks' }),
        anAuditError({ accountId: null, region: null, stage: 'list-accounts' }),
        anAuditError({ accountId: '111111111111', region: null, stage: 'iam-roles' }),
      ],
    });
    const scope = { ...aScope(), ouPaths: { '222222222222': '/Prod', '111111111111': '/Dev' } };

    // Act
    const report = buildReport(resolveConfig('cli', {}), scope, deriveFacts(inventory), [], times);

    // Assess
    expect(report.errors.map((e) => `${e.accountId} ${e.region} ${e.stage}`)).toEqual([
      'null null list-accounts',
      '111111111111 null iam-roles',
      '111111111111 eu-west-1 eks',
      '222222222222 us-east-1 eks',
    ]);
    expect(Object.keys(report.scope.ouPaths ?? {})).toEqual(['111111111111', '222222222222']);
  });

  it('lists no roles for a cluster nothing trusts, and counts findings by severity', () => {
    // Prepare
    const inventory = anInventory({ clusters: [aCluster()] });
    const findings = [aFinding('high'), aFinding('info'), aFinding('info')];

    // Act
    const report = buildReport(
      resolveConfig('schedule', {}),
      aScope(),
      deriveFacts(inventory),
      findings,
      times,
    );

    // Assess
    expect(report.clusters[0]?.assumableRoles).toEqual([]);
    expect(report.summary.findings).toEqual({ critical: 0, high: 1, medium: 0, low: 0, info: 2 });
    expect(report).toMatchObject({
      schemaVersion: 1,
      trigger: 'schedule',
      startedAt: '2026-11-22T12:00:00.000Z',
    });
    expect(hasFindingAtOrAbove(report, 'high')).toBe(true);
    expect(hasFindingAtOrAbove(report, 'critical')).toBe(false);
  });
});
