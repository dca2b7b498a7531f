// Policy text is written by whoever controls a member account, and the checks run after the time budget, where
// nothing can interrupt them: no pattern may make matching superlinear.

import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../src/checks/index.ts';
import { deriveFacts } from '../../../src/facts/index.ts';
import { evaluate, parseCondition } from '../../../src/facts/trust/conditions.ts';
import { coversAction, parseTrustPolicy } from '../../../src/facts/trust/policy.ts';
import { globMatch, wildcardPieces } from '../../../src/text/glob.ts';
import { aContext } from '../../support/inventory.ts';
import { aRoleTrusting, aStatement, aTrustPolicy, aWorld, withRole } from '../../support/trust.ts';

const BACKTRACKER = `sts:${'*?'.repeat(12)}X`;

describe('IAM wildcards', () => {
  it.each([
    ['sts:*', 'sts:assumerolewithwebidentity', true],
    ['sts:AssumeRole*', 'sts:assumerolewithwebidentity', true],
    ['sts:AssumeRole?', 'sts:assumerole', false],
    ['sts:AssumeRole?', 'sts:assumerolex', true],
    ['*', '', true],
    ['?', '', false],
    ['a*b*c', 'a-b-b-c', true],
    ['a*b*c', 'a-b-b-', false],
    ['s.s:*', 'sts:x', false],
    ['sts:[a]*', 'sts:a', false],
    [BACKTRACKER, `sts:${'a'.repeat(40)}`, false],
    [BACKTRACKER, `sts:${'a'.repeat(40)}x`, true],
  ])('%s against %s: %s', (pattern, subject, expected) => {
    // Act
    const matched = globMatch(wildcardPieces(pattern), subject, true);

    // Assess
    expect(matched).toBe(expected);
  });

  it('matches an action pattern with regex metacharacters literally', () => {
    // Prepare
    const policy = parseTrustPolicy(
      aTrustPolicy({ Effect: 'Allow', Principal: '*', Action: ['sts:(AssumeRole)+', 'sts:.*'] }),
    );
    const statement = policy.ok ? policy.policy.statements[0] : undefined;

    // Act / Assess
    expect(statement && coversAction(statement, 'sts:AssumeRoleWithWebIdentity')).toBe(false);
  });

  // No clock: a backtracking matcher would try more splits of each subject than it could ever finish
  // and never returns, so the test's own time-out is what fails it; a linear one returns at once.
  it('evaluates 1,000 backtracking Action and StringLike patterns without backtracking', () => {
    // Prepare: each pattern fails only at its last character, the worst case for a backtracking regex.
    const subject = `system:serviceaccount:${'a'.repeat(60)}`;
    const statements = Array.from({ length: 1_000 }, (_, index) => {
      const parsed = parseTrustPolicy(
        aTrustPolicy({ Effect: 'Allow', Principal: '*', Action: `${BACKTRACKER}${index}` }),
      );
      return parsed.ok ? parsed.policy.statements[0] : undefined;
    });
    const conditions = Array.from({ length: 1_000 }, (_, index) => {
      const parsed = parseCondition({
        StringLike: { 'oidc.example/id:sub': `system:serviceaccount:${'*?'.repeat(12)}X${index}` },
      });
      return parsed.ok ? parsed.condition : undefined;
    });

    // Act
    const covered = statements.filter((s) => s && coversAction(s, `sts:${'a'.repeat(60)}`)).length;
    const matched = conditions.filter(
      (c) => c && evaluate(c, { 'oidc.example/id:sub': subject }) === true,
    ).length;
    // Assess
    expect([covered, matched]).toEqual([0, 0]);
  });

  it('still finds what a backtracking pattern lets in', () => {
    // Prepare
    const { inventory, arns } = aWorld();
    const role = aRoleTrusting(
      aTrustPolicy(aStatement(arns.prod, { subOperator: 'StringLike', sub: `${'*?'.repeat(12)}` })),
      'hostile',
    );

    // Act
    const findings = runChecks(deriveFacts(withRole(inventory, role)), aContext());

    // Assess
    expect(findings.filter((f) => f.resource.endsWith('/hostile')).map((f) => f.check)).toContain(
      'trust-wildcard-sub',
    );
  });
});
