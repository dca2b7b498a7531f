import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/model/finding.ts';
import type { ExpectedFinding } from '../../sandbox/world.ts';
import { assertFindings, compareFindings } from './expected-findings.ts';

const ROLE = 'arn:aws:iam::222222222222:role/irsa/app';
const CLUSTER = 'arn:aws:eks:us-east-1:222222222222:cluster/prod';

function aFinding(fields: Partial<Finding> = {}): Finding {
  return {
    id: 'f1',
    check: 'provider-missing',
    severity: 'medium',
    accountId: '222222222222',
    region: 'us-east-1',
    resource: CLUSTER,
    cluster: 'prod',
    message: 'Cluster prod has no IAM OIDC provider for its issuer',
    remediation: 'eksctl utils associate-iam-oidc-provider --cluster prod --approve',
    evidence: {},
    ...fields,
  };
}

describe('expected findings', () => {
  it('match by check, severity and the fields they give; resources in full or short form', () => {
    // Prepare
    const found = [
      aFinding(),
      aFinding({ id: 'f2', check: 'trust-no-sub', severity: 'critical', resource: ROLE }),
      aFinding({ id: 'f3', check: 'trust-no-aud', severity: 'low', resource: ROLE }),
    ];
    const expected: ExpectedFinding[] = [
      { check: 'provider-missing', severity: 'medium', cluster: 'prod', accountId: '222222222222' },
      { check: 'trust-no-sub', severity: 'critical', resource: 'role/irsa/app' },
      { check: 'trust-no-aud', severity: 'low', resource: ROLE, region: 'us-east-1' },
    ];

    // Act
    const comparison = compareFindings(found, expected);

    // Assess
    expect(comparison.missing).toEqual([]);
    expect(comparison.unexpected).toEqual([]);
    expect(comparison.matched).toHaveLength(3);
  });

  it('pair one to one, so a loose expectation does not take the finding a strict one needs', () => {
    // Prepare: the loose one comes first and could match either finding
    const found = [aFinding({ id: 'a', cluster: 'prod' }), aFinding({ id: 'b', cluster: 'stage' })];
    const expected: ExpectedFinding[] = [
      { check: 'provider-missing', severity: 'medium', resource: CLUSTER },
      { check: 'provider-missing', severity: 'medium', cluster: 'prod' },
    ];

    // Act
    const comparison = compareFindings(found, expected);

    // Assess
    expect(comparison.missing).toEqual([]);
    expect(comparison.unexpected).toEqual([]);
  });

  it('fail with a readable list of what is missing and what is extra', () => {
    // Prepare
    const found = [aFinding({ severity: 'high' })];
    const expected: ExpectedFinding[] = [{ check: 'provider-missing', severity: 'medium', cluster: 'prod' }];

    // Act
    const act = () => assertFindings(found, expected);

    // Assess
    expect(act).toThrow(
      [
        "findings differ from the world's expectedFindings (0 matched):",
        'expected but not found (1):',
        '  - provider-missing medium cluster prod',
        'found but not expected (1):',
        '  + provider-missing high 222222222222 / us-east-1 / cluster prod / cluster/prod',
        '      Cluster prod has no IAM OIDC provider for its issuer',
      ].join('\n'),
    );
  });
});
