// A trust policy as the inventory keeps it: the document IAM returned, parsed with the run's pool of texts and
// its condition blocks as dictionaries (src/inventory/iam.ts). Neither may change what the policy says, or what
// the checks find in it.
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import { trustPolicyOf } from '../../src/inventory/iam.ts';
import { stringPool } from '../../src/runtime/compact.ts';
import { aContext, aRole } from '../support/inventory.ts';
import { recordingPool } from '../support/pools.ts';
import { aStatement, aTrustPolicy, aWorld, withRole } from '../support/trust.ts';

/** A condition block of the parsed policy: Statement[index].Condition[operator]. */
function conditionBlock(policy: unknown, index: number, operator: string): object {
  const statements = (policy as { Statement: { Condition: Record<string, object> }[] }).Statement;
  const block = statements[index]?.Condition[operator];
  if (!block) throw new Error(`no ${operator} block in statement ${index}`);
  return block;
}

describe('a trust policy read from IAM', () => {
  it("holds the document's JSON as it was, every string of it handed to the run's pool", () => {
    // Prepare
    const { arns } = aWorld();
    const policy = aTrustPolicy(
      aStatement(arns.prod),
      aStatement(arns.staging, { subOperator: 'StringLike' }),
    );
    const { handed, pool } = recordingPool();

    // Act
    const { trustPolicy } = trustPolicyOf(encodeURIComponent(JSON.stringify(policy)), pool);

    // Assess
    expect(JSON.stringify(trustPolicy)).toBe(JSON.stringify(policy));
    expect(handed).toEqual(
      expect.arrayContaining(['2012-10-17', 'Allow', 'sts:AssumeRoleWithWebIdentity', 'sts.amazonaws.com']),
    );
    expect(handed).toEqual(expect.arrayContaining([arns.prod, arns.staging]));
  });

  it('keeps each condition block as a dictionary with no prototype, and the rest as plain objects', () => {
    // Prepare
    const { arns } = aWorld();
    const policy = aTrustPolicy(aStatement(arns.prod, { subOperator: 'StringLike' }));

    // Act
    const { trustPolicy } = trustPolicyOf(encodeURIComponent(JSON.stringify(policy)), stringPool());

    // Assess
    expect(Object.getPrototypeOf(conditionBlock(trustPolicy, 0, 'StringLike'))).toBeNull();
    expect(Object.getPrototypeOf(conditionBlock(trustPolicy, 0, 'StringEquals'))).toBeNull();
    const statement = (trustPolicy as { Statement: object[] }).Statement[0];
    expect(Object.getPrototypeOf(statement)).toBe(Object.prototype);
  });

  it('gives the checks the same findings as the document parsed alone', () => {
    // Prepare: a trust any pod of the cluster may use (no sub), and one any GitHub repository may
    const { inventory, arns } = aWorld();
    const document = encodeURIComponent(
      JSON.stringify(
        aTrustPolicy(aStatement(arns.prod, { sub: null }), aStatement(arns.github, { sub: null })),
      ),
    );
    const findingsOf = (parsed: ReturnType<typeof trustPolicyOf>) =>
      runChecks(deriveFacts(withRole(inventory, aRole({ name: 'open', ...parsed }))), aContext());

    // Act
    const pooled = findingsOf(trustPolicyOf(document, stringPool()));
    const alone = findingsOf({ trustPolicy: JSON.parse(decodeURIComponent(document)) });

    // Assess
    expect(pooled.length).toBeGreaterThan(0);
    expect(pooled).toEqual(alone);
  });
});
