// The trust policy corpus: real-shaped policies, good, bad and tricky, each with the exact set of findings it must
// produce. The policies name the providers of `aWorld()` (test/support/trust.ts) by their literal ARNs, as an
// exported IAM role would.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkTrustPolicies } from '../../../src/checks/trust.ts';
import { deriveFacts } from '../../../src/facts/index.ts';
import { providerRefOf } from '../../../src/facts/trust/provider-ref.ts';
import { subjectScheme } from '../../../src/facts/trust/subjects.ts';
import { CHECK_IDS, SEVERITIES } from '../../../src/model/finding.ts';
import { ISSUER_IDS, ISSUERS } from '../../../src/model/issuers.ts';
import { aContext } from '../../support/inventory.ts';
import { aRoleTrusting, aWorld, withRole } from '../../support/trust.ts';

const CORPUS = join(import.meta.dirname, '..', '..', 'fixtures', 'trust-policies');

const Fixture = z.strictObject({
  description: z.string().min(1),
  policy: z.record(z.string(), z.unknown()),
  expected: z.array(z.strictObject({ check: z.enum(CHECK_IDS), severity: z.enum(SEVERITIES) })),
});

const fixtures = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({
    name: name.replace(/\.json$/, ''),
    ...Fixture.parse(JSON.parse(readFileSync(join(CORPUS, name), 'utf8'))),
  }));

function pairs(list: ReadonlyArray<{ check: string; severity: string }>): string[] {
  return list.map(({ check, severity }) => `${check}/${severity}`).sort();
}

describe('trust policy corpus', () => {
  it('names the providers of the test world', () => {
    // Prepare
    const world = aWorld();

    // Act
    const arns = Object.values(world.arns);

    // Assess
    expect(arns).toEqual([
      'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/D6E4A9B6646C62FC48BAA6DD6150D1F7',
      'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/830F78E090FE8AEC00891405DFC14824',
      'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/228C70BFC5589C58C044E03FFF0E17EB',
      'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
      'arn:aws:iam::111122223333:oidc-provider/gitlab.com',
      'arn:aws:iam::111122223333:oidc-provider/gitlab.example.com',
      'arn:aws:iam::111122223333:oidc-provider/app.terraform.io',
      'arn:aws:iam::111122223333:oidc-provider/oidc.circleci.com/org/8f2d3b6e-1c4a-4e7b-9a0d-5b6c7d8e9f01',
      'arn:aws:iam::111122223333:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc',
      'arn:aws:iam::111122223333:oidc-provider/agent.buildkite.com',
    ]);
  });

  it('holds at least 40 policies, good, bad and tricky', () => {
    // Assess
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    expect(fixtures.filter((fixture) => fixture.expected.length === 0).length).toBeGreaterThanOrEqual(10);
  });

  it.each(ISSUER_IDS)('covers issuer %s with a scoped policy and an open one', (id) => {
    // Prepare: the issuer kinds each fixture's statements name in Principal.Federated
    const kindsOf = (policy: Record<string, unknown>) =>
      [policy.Statement ?? []].flat().flatMap((statement) => {
        const federated = (statement as { Principal?: { Federated?: string | string[] } }).Principal
          ?.Federated;
        return [federated ?? []].flat().flatMap((value) => providerRefOf(value)?.kind ?? []);
      });

    // Act
    const naming = fixtures.filter((fixture) => kindsOf(fixture.policy).includes(id));

    // Assess
    expect(naming.filter((fixture) => fixture.expected.length === 0).length).toBeGreaterThan(0);
    expect(naming.filter((fixture) => fixture.expected.length > 0).length).toBeGreaterThan(0);
  });

  it.each(ISSUER_IDS.filter((id) => ISSUERS[id].tenancy === 'subject'))(
    'splits the subjects of %s, whose tenant the subject names',
    (id) => {
      // Act
      const scheme = subjectScheme(id);

      // Assess
      expect(scheme.kind).not.toBe('other');
    },
  );

  it.each(fixtures)('$name: $description', ({ policy, expected }) => {
    // Prepare
    const inventory = withRole(aWorld().inventory, aRoleTrusting(policy));

    // Act
    const findings = checkTrustPolicies(deriveFacts(inventory), aContext());

    // Assess
    expect(pairs(findings)).toEqual(pairs(expected));
    expect(new Set(findings.map((finding) => finding.id)).size).toBe(findings.length);
  });

  it('finds nothing at all in the recommended shape', () => {
    // Prepare
    const recommended = fixtures.find((fixture) => fixture.name === 'recommended-shape');
    const inventory = withRole(aWorld().inventory, aRoleTrusting(recommended?.policy));

    // Act
    const findings = checkTrustPolicies(deriveFacts(inventory), aContext());

    // Assess
    expect(recommended).toBeDefined();
    expect(findings).toEqual([]);
  });
});
