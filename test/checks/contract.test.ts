// The check contract as the compiler holds it: a finding's severity is one its check declares in the catalog, and a
// family emits only its own checks (and audit errors). Each `@ts-expect-error` line below must stay a compile error:
// should the contract loosen, the directive goes unused and `npm run typecheck` fails (TS2578).
import { describe, expect, expectTypeOf, it } from 'vitest';
import { family } from '../../src/checks/family.ts';
import { type FindingInput, makeFinding } from '../../src/checks/finding.ts';
import type { DeclaredSeverity, FamilyCheckId } from '../../src/model/catalog.ts';
import type { Finding } from '../../src/model/finding.ts';
import { ACCOUNT_ID } from '../support/inventory.ts';

/** Everything of a finding but its check and severity, which the cases vary. */
function aboutAProvider(): Omit<FindingInput<'audience-extra'>, 'check' | 'severity'> {
  return {
    accountId: ACCOUNT_ID,
    region: null,
    resource: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/example.com`,
    cluster: null,
    message: 'm',
    remediation: 'r',
    evidence: {},
  };
}

describe('the severities of a check', () => {
  it('are the ones its catalog entry declares', () => {
    // Assess
    expectTypeOf<DeclaredSeverity<'audience-extra'>>().toEqualTypeOf<'info'>();
    expectTypeOf<DeclaredSeverity<'trust-no-sub'>>().toEqualTypeOf<'critical' | 'high'>();
    expectTypeOf<DeclaredSeverity<'audit-error'>>().toEqualTypeOf<'high' | 'medium'>();
  });

  it('bind makeFinding: an undeclared severity does not compile', () => {
    // Act
    const declared = makeFinding({ ...aboutAProvider(), check: 'audience-extra', severity: 'info' });
    const undeclared = () =>
      // @ts-expect-error audience-extra declares info only
      makeFinding({ ...aboutAProvider(), check: 'audience-extra', severity: 'critical' });

    // Assess
    expectTypeOf(declared).toEqualTypeOf<Finding<'audience-extra'>>();
    expectTypeOf(undeclared).toBeFunction();
    expect(declared).toMatchObject({ check: 'audience-extra', severity: 'info' });
  });

  it.each([true, false])(
    'stay paired with their check when the check is chosen at run time (expired: %s)',
    (expired) => {
      // Act
      const paired = makeFinding({
        ...aboutAProvider(),
        ...(expired
          ? ({ check: 'ca-expired', severity: 'high' } as const)
          : ({ check: 'ca-expiring', severity: 'medium' } as const)),
      });
      const crossed = () =>
        // @ts-expect-error ca-expired is high only: medium is ca-expiring's
        makeFinding({
          ...aboutAProvider(),
          check: expired ? 'ca-expired' : 'ca-expiring',
          severity: expired ? 'high' : 'medium',
        });

      // Assess
      expectTypeOf(paired).toEqualTypeOf<Finding<'ca-expired' | 'ca-expiring'>>();
      expectTypeOf(crossed).toBeFunction();
      expect(paired.severity).toBe(expired ? 'high' : 'medium');
    },
  );
});

describe('a check family', () => {
  it("emits its own checks and audit errors, and another family's check does not compile", () => {
    // Act
    const audiences = family('audiences', () => [
      makeFinding({ ...aboutAProvider(), check: 'audience-extra', severity: 'info' }),
      makeFinding({ ...aboutAProvider(), check: 'audit-error', severity: 'medium' }),
    ]);
    const trespassing = () =>
      family('audiences', () => [
        // @ts-expect-error trust-no-sub belongs to the trust family
        makeFinding({ ...aboutAProvider(), check: 'trust-no-sub', severity: 'critical' }),
      ]);

    // Assess
    expectTypeOf<FamilyCheckId<'audiences'>>().toEqualTypeOf<'audience-missing' | 'audience-extra'>();
    expectTypeOf(trespassing).toBeFunction();
    expect(audiences.family).toBe('audiences');
  });
});
