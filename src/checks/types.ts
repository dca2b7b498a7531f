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
  /** What the organization says of the accounts, when it was read: names, and OU paths (`/Workloads/Prod`). */
  organization?: OrganizationView;
}

export interface OrganizationView {
  names: Readonly<Record<string, string>>;
  ouPaths: Readonly<Record<string, string>>;
  /** Why the OU paths are unknown, when the organization was listed but its OUs could not be read. */
  ouPathsError?: string;
}
