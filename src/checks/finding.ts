import { createHash } from 'node:crypto';
import { CATALOG } from '../model/catalog.ts';
import type { Finding } from '../model/finding.ts';
import { printable } from '../text/quote.ts';
import type { Steps } from './remediation.ts';

export type FindingInput = Omit<Finding, 'id' | 'remediation'> & {
  /** One line, or several commands to run in order. */
  remediation: string | Steps;
  /** Separates several findings of one check on one resource (a statement index, a certificate). */
  discriminator?: string;
};

/**
 * Builds a finding with its stable id: a hash of check, resource and discriminator, never of the message.
 * Messages and remediations carry values from AWS, issuers and policies: every line is made printable here, so a
 * value holding a newline or an escape sequence cannot add a line of its own (see src/text/quote.ts). The only
 * line breaks left are those between the steps of a remediation.
 */
export function makeFinding(input: FindingInput): Finding {
  const { discriminator, remediation, ...rest } = input;
  const declared: readonly string[] = CATALOG[rest.check].severities;
  // The catalog is what the README, the docs and the alert thresholds promise: a check may not give more.
  if (!declared.includes(rest.severity))
    throw new Error(
      `check ${rest.check} gave severity ${rest.severity}, which its catalog entry does not declare (src/model/catalog.ts: ${declared.join(', ')})`,
    );
  // Field by field, in the report's order.
  const finding: Omit<Finding, 'id'> = {
    check: rest.check,
    severity: rest.severity,
    accountId: rest.accountId,
    region: rest.region,
    resource: rest.resource,
    cluster: rest.cluster,
    message: printable(rest.message),
    remediation:
      typeof remediation === 'string' ? printable(remediation) : remediation.steps.map(printable).join('\n'),
    evidence: rest.evidence,
  };
  const id = createHash('sha256')
    .update([finding.check, finding.resource, discriminator ?? ''].join('\n'))
    .digest('hex')
    .slice(0, 16);
  return { id, ...finding };
}
