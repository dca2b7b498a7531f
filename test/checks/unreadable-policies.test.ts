// A trust policy the auditor cannot read was never checked: it is an audit-error naming the role, not a pass.
import { describe, expect, it } from 'vitest';
import { checkTrustPolicies } from '../../src/checks/trust.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import { trustPolicyOf } from '../../src/inventory/iam.ts';
import { stringPool } from '../../src/runtime/compact.ts';
import { aContext, aRole } from '../support/inventory.ts';
import { aStatement, aTrustPolicy, aWorld, withRole } from '../support/trust.ts';

const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [] });

describe('an unreadable trust policy', () => {
  it.each([
    ['not JSON', encodeURIComponent('{"Version": "2012-10-17", "Statement": ['), /trust policy is not JSON/],
    ['URL-encoded twice', encodeURIComponent(encodeURIComponent(POLICY)), /URL-encoded twice/],
    ['neither URL-encoded JSON nor JSON', '%E0%A4%A', /neither URL-encoded JSON nor JSON/],
    ['a JSON list, not a policy', encodeURIComponent('[1, 2]'), /.+/],
  ])('is an audit-error naming the role when the document is %s', (_, document, reason) => {
    // Prepare
    const { inventory } = aWorld();
    const role = aRole({ name: 'broken', trustPolicy: undefined, ...trustPolicyOf(document, stringPool()) });

    // Act
    const findings = checkTrustPolicies(deriveFacts(withRole(inventory, role)), aContext());

    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      check: 'audit-error',
      severity: 'medium',
      resource: role.arn,
      region: null,
      evidence: { found: { stage: 'trust-policy' } },
    });
    expect(findings[0]?.message).toMatch(/role broken \(trust-policy\): UnreadableTrustPolicy: /);
    expect(findings[0]?.message).toMatch(reason);
  });

  it('is quiet for a policy IAM returned encoded once', () => {
    // Prepare
    const { inventory, arns } = aWorld();
    const document = encodeURIComponent(JSON.stringify(aTrustPolicy(aStatement(arns.prod))));
    const role = aRole({ name: 'fine', ...trustPolicyOf(document, stringPool()) });

    // Act
    const findings = checkTrustPolicies(deriveFacts(withRole(inventory, role)), aContext());

    // Assess
    expect(findings.filter((f) => f.check === 'audit-error')).toEqual([]);
  });
});
