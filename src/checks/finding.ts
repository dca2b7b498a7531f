import { createHash } from 'node:crypto';
import type { Finding } from '../report/types.ts';

export type FindingInput = Omit<Finding, 'id'> & {
  /** Separates several findings of one check on one resource (a statement index, a certificate). */
  discriminator?: string;
};

/** Builds a finding with its stable id: a hash of check, resource and discriminator, never of the message. */
export function makeFinding(input: FindingInput): Finding {
  const { discriminator, ...finding } = input;
  const id = createHash('sha256')
    .update([finding.check, finding.resource, discriminator ?? ''].join('\n'))
    .digest('hex')
    .slice(0, 16);
  return { id, ...finding };
}
