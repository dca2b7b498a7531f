// When a Kubernetes finding is gone, it is resolved only if this run read that cluster's Kubernetes side; a cluster
// it could not read hides that cluster's Kubernetes findings, not its region's others.
import { describe, expect, it } from 'vitest';
import { observedBy } from '../../src/publish/observed-by.ts';
import type { Report, ReportCluster } from '../../src/report/types.ts';
import { ACCOUNT, aFinding, aReport, REGION } from './support.ts';

const CLUSTER_ARN = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/platform`;

function aReadCluster(read: boolean): ReportCluster {
  return {
    accountId: ACCOUNT,
    region: REGION,
    name: 'platform',
    arn: CLUSTER_ARN,
    issuer: null,
    assumableRoles: [],
    ...(read ? { kubernetes: { namespaces: 3, serviceAccounts: 4, annotated: 1, pods: 1 } } : {}),
  };
}

function reportWith(read: boolean, extra: Partial<Report> = {}): Report {
  return { ...aReport(), clusters: [aReadCluster(read)], ...extra };
}

const annotation = aFinding('invalid', {
  check: 'sa-role-invalid',
  severity: 'high',
  region: REGION,
  resource: CLUSTER_ARN,
  cluster: 'platform',
});

describe('resolving a Kubernetes finding', () => {
  it('counts as observed when the cluster was read', () => {
    // Act
    const observed = observedBy(reportWith(true))(annotation);

    // Assess
    expect(observed).toBe(true);
  });

  it('does not when the cluster was not read: the finding stays open', () => {
    // Act
    const observed = observedBy(reportWith(false))(annotation);

    // Assess
    expect(observed).toBe(false);
  });

  it("does not let one cluster's Kubernetes blind spot hide the region's other findings", () => {
    // Prepare
    const blind = {
      accountId: ACCOUNT,
      region: REGION,
      stage: 'kubernetes-access',
      code: 'NoAccessEntry',
      message: 'cluster platform has no access entry for the auditor',
      cluster: CLUSTER_ARN,
    };
    const regional = aFinding('regional', {
      check: 'provider-missing',
      severity: 'high',
      region: REGION,
      resource: CLUSTER_ARN,
      cluster: 'platform',
    });

    // Act
    const observed = observedBy(reportWith(false, { errors: [blind] }))(regional);

    // Assess
    expect(observed).toBe(true);
  });

  it("resolves a role's dangling-subject finding by another account's same-named cluster only when both were read", () => {
    // Prepare: the role's account is not the cluster's; two accounts each have a cluster platform in the region
    const other = '999988887777';
    const dangling = aFinding('dangling', {
      check: 'trust-subject-dangling',
      severity: 'medium',
      accountId: ACCOUNT,
      region: REGION,
      resource: `arn:aws:iam::${ACCOUNT}:role/app`,
      cluster: 'platform',
    });
    const otherCluster = (read: boolean): ReportCluster => ({
      ...aReadCluster(read),
      accountId: other,
      arn: `arn:aws:eks:${REGION}:${other}:cluster/platform`,
    });

    // Act
    const oneUnread = observedBy({ ...aReport(), clusters: [aReadCluster(true), otherCluster(false)] })(
      dangling,
    );
    const bothRead = observedBy({ ...aReport(), clusters: [aReadCluster(true), otherCluster(true)] })(
      dangling,
    );

    // Assess: with one of them unread, a vanished finding may be that cluster's, so it is not resolved
    expect(oneUnread).toBe(false);
    expect(bothRead).toBe(true);
  });
});
