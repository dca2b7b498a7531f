import type { CheckId } from '../model/finding.ts';

// What each check reads to decide: a finding that is gone from a report counts as resolved only when the run
// read all of it (src/publish/alerts.ts, observedBy). Reading less would turn a blind spot into a false
// "resolved"; asking for more (every region, for a role's trust policy) kept real resolutions from ever being
// announced under a region filter.
export type Read =
  /** The account's roles and their trust policies (IAM is global: no region). */
  | 'account-roles'
  /** The account's IAM OIDC providers. */
  | 'account-providers'
  /** The EKS clusters of the finding's region. */
  | 'region-clusters'
  /** The EKS clusters of every region of the account (a provider or principal whose cluster may be anywhere). */
  | 'account-clusters'
  /** The TLS chain of the provider's issuer host, unless the provider itself is gone. */
  | 'issuer-chain'
  /** The issuer of the finding's cluster, probed in this run, unless the cluster is gone. */
  | 'issuer-probe'
  /** An audit error: the place it names (run, account or region) was read in this run. */
  | 'place';

const TRUST: readonly Read[] = ['account-roles', 'account-providers'];

export const DEPENDS_ON: Record<CheckId, readonly Read[]> = {
  'provider-missing': ['region-clusters', 'account-providers'],
  'provider-alias-url': ['region-clusters', 'account-providers'],
  'audience-missing': ['account-providers'],
  'audience-extra': ['account-providers'],
  'thumbprint-mismatch': ['account-providers', 'issuer-chain'],
  'thumbprint-slots-full': ['account-providers'],
  'ca-expiring': ['account-providers', 'issuer-chain'],
  'ca-expired': ['account-providers', 'issuer-chain'],
  'provider-orphaned': ['account-providers', 'region-clusters'],
  'issuer-unreachable': ['region-clusters', 'issuer-probe'],
  'trust-no-sub': TRUST,
  'trust-wildcard-sub': TRUST,
  'trust-set-operator': TRUST,
  'trust-wrong-action': TRUST,
  'trust-unknown-provider': [...TRUST, 'account-clusters'],
  'trust-key-mismatch': TRUST,
  'trust-malformed-sub': TRUST,
  'trust-no-aud': TRUST,
  'trust-multi-cluster': [...TRUST, 'account-clusters'],
  'audit-error': ['place'],
};
