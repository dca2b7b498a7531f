import { createHash } from 'node:crypto';
import type { CheckId, DeclaredSeverity } from '../model/catalog.ts';
import type { Finding } from '../model/finding.ts';
import type { Cluster } from '../model/inventory.ts';
import { printable } from '../text/quote.ts';
import type { Steps } from './remediation.ts';

type FindingFields = Omit<Finding, 'id' | 'check' | 'severity' | 'remediation'> & {
  /** One line, or several commands to run in order. */
  remediation: string | Steps;
  /** Separates several findings of one check on one resource (a statement index, a certificate). */
  discriminator?: string;
};

/**
 * What a finding of check `C` is made from. Its severity is one the check declares in the catalog, which is what
 * the README, the docs and the alert thresholds promise: another is a compile error, not a finding dropped at run
 * time. Over a union of checks it is a union of pairs, so `ca-expired` cannot borrow `ca-expiring`'s severity.
 */
export type FindingInput<C extends CheckId = CheckId> = FindingFields & CheckAndSeverity<C>;

/** A check with one of its declared severities; a union of checks gives a union of such pairs. */
export type CheckAndSeverity<C extends CheckId> = C extends CheckId
  ? { check: C; severity: DeclaredSeverity<C> }
  : never;

/** Where a finding about a cluster (or about `resource`, one of the cluster's) stands in the report. */
export function clusterPlace(
  cluster: Pick<Cluster, 'accountId' | 'region' | 'arn' | 'name'>,
  resource: string = cluster.arn,
): Pick<Finding, 'accountId' | 'region' | 'resource' | 'cluster'> {
  return { accountId: cluster.accountId, region: cluster.region, resource, cluster: cluster.name };
}

/**
 * Builds a finding with its stable id: a hash of check, resource and discriminator, never of the message.
 * Messages and remediations carry values from AWS, issuers and policies: every line is made printable here, so a
 * value holding a newline or an escape sequence cannot add a line of its own (see src/text/quote.ts). The only
 * line breaks left are those between the steps of a remediation.
 */
export function makeFinding<C extends CheckId>(input: FindingInput & { check: C }): Finding<C> {
  const { discriminator, remediation, ...rest } = input;
  // Field by field, in the report's order.
  const finding: Omit<Finding<C>, 'id'> = {
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
