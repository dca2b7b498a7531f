import { describe, expect, it } from 'vitest';
import { checkAuditErrors } from '../../src/checks/audit-errors.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import type { AuditError } from '../../src/model/inventory.ts';
import { shellQuote } from '../../src/text/quote.ts';
import { ACCOUNT_ID, aCluster, aContext, anAuditError, anInventory } from '../support/inventory.ts';

const PRINCIPAL = `arn:aws:iam::${ACCOUNT_ID}:role/OIDCAuditRole`;

function kubernetesError(overrides: Partial<AuditError> = {}): AuditError {
  return anAuditError({
    stage: 'kubernetes-access',
    code: 'NoAccessEntry',
    message: 'cluster prod has no access entry for the auditor (401 Unauthorized)',
    cluster: aCluster().arn,
    principal: PRINCIPAL,
    ...overrides,
  });
}

function findingsOf(...errors: AuditError[]) {
  return checkAuditErrors(deriveFacts(anInventory({ errors })), aContext());
}

describe('a cluster whose Kubernetes side could not be read', () => {
  it('is an audit error of its own cluster, with the access entry and view policy to grant', () => {
    // Act
    const [finding] = findingsOf(kubernetesError());

    // Assess
    expect(finding).toMatchObject({
      check: 'audit-error',
      severity: 'medium',
      resource: aCluster().arn,
      cluster: 'prod',
    });
    expect(finding?.remediation.split('\n')).toEqual([
      `aws eks create-access-entry --principal-arn ${PRINCIPAL} --region us-east-1 --cluster-name prod`,
      `aws eks associate-access-policy --principal-arn ${PRINCIPAL} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy --region us-east-1 --cluster-name prod --access-scope type=cluster`,
    ]);
  });

  it('gives two clusters of one region two findings, not one', () => {
    // Act
    const findings = findingsOf(
      kubernetesError(),
      kubernetesError({ cluster: aCluster({ name: 'edge' }).arn }),
    );

    // Assess
    expect(new Set(findings.map((f) => f.id)).size).toBe(2);
  });

  it('quotes a hostile cluster name in the commands', () => {
    // Act
    const hostile = "x';touch /tmp/p;'";
    const [finding] = findingsOf(kubernetesError({ cluster: aCluster({ name: hostile }).arn }));

    // Assess
    expect(finding?.remediation).toContain(`--cluster-name ${shellQuote(hostile)} `);
    expect(shellQuote(hostile)).not.toBe(hostile);
  });

  it('says how to reach a private-only endpoint instead of granting access', () => {
    // Act
    const [finding] = findingsOf(
      kubernetesError({ stage: 'kubernetes-unreachable', code: 'PrivateEndpoint' }),
    );

    // Assess
    expect(finding?.remediation).toContain('--connect-to');
    expect(finding?.remediation).not.toContain('create-access-entry');
  });
});
