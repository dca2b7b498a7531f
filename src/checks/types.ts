import type { Facts } from '../facts/index.ts';
import type { Finding } from '../model/finding.ts';

export interface CheckContext {
  /** The audit's clock: checks never read the time themselves. */
  now: Date;
  /** Days before a CA certificate's notAfter that count as expiring. */
  caWarnDays: number;
  /**
   * `<account>/<region>` → when an earlier run last audited it (the alert state's coverage memory); empty when
   * no state table is configured. A pair audited before and blind now is lost access: high.
   */
  auditedBefore?: ReadonlyMap<string, string>;
}

/** A check family: a pure function from the facts of one inventory to findings. */
export type Check = (facts: Facts, context: CheckContext) => Finding[];
