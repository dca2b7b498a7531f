// A check family: the function behind one family of the catalog (src/model/catalog.ts), typed so that it can only
// emit the checks the catalog gives that family. A finding of another family's check, or of an undeclared severity
// (src/checks/finding.ts), is a compile error rather than something a test has to catch.

import type { Facts } from '../facts/index.ts';
import type { Family, FamilyCheckId } from '../model/catalog.ts';
import type { Finding } from '../model/finding.ts';
import type { CheckContext } from './types.ts';

/**
 * What family `F` may emit: its own checks, and audit errors for what it could not read (a trust policy IAM
 * returned unreadable): a blind spot is named by whoever meets it.
 */
export type FamilyFinding<F extends Family> = Finding<FamilyCheckId<F> | 'audit-error'>;

/** A pure function from the facts of one inventory to findings, with the catalog family it stands for. */
export interface CheckFamily<F extends Family = Family> {
  (facts: Facts, context: CheckContext): FamilyFinding<F>[];
  readonly family: F;
}

export function family<F extends Family>(
  name: F,
  run: (facts: Facts, context: CheckContext) => FamilyFinding<F>[],
): CheckFamily<F> {
  return Object.assign(run, { family: name });
}
