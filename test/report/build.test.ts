import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import type { Finding } from '../../src/model/finding.ts';
import { buildReport, hasFindingAtOrAbove } from '../../src/report/build.ts';
import type { Scope } from '../../src/scope/types.ts';
import { ACCOUNT_ID, aCluster, aHealthyInventory, anInventory } from '../support/inventory.ts';

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
