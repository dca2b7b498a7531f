import type { AssumableRole } from '../facts/trust/assumable.ts';
import type { Coverage, Finding, Severity, Trigger } from '../model/finding.ts';
import type {
  AuditError,
  AuditedAccount,
  Cluster,
  HostProbe,
  IssuerProbe,
  OidcProvider,
} from '../model/inventory.ts';
import type { SuppressionReport } from './mute.ts';

export interface Report {
  schemaVersion: 1;
  trigger: Trigger;
  startedAt: string;
  finishedAt: string;
  scope: {
    accounts: string[];
    regions: string[];
    /** The organization's name of each account, when the organization was listed. */
    accountNames?: Record<string, string>;
    /** Each account's OU path (`/Workloads/Prod`, `/` for the root), when the organization's OUs were read. */
    ouPaths?: Record<string, string>;
  };
  summary: {
    accounts: number;
    regions: number;
    clusters: number;
    providers: number;
    roles: number;
    findings: Record<Severity, number>;
    errors: number;
    /** What this run could see (src/report/coverage.ts). */
    coverage: Coverage;
    /** Findings muted as accepted risks, not in `findings` counts; only when suppressions are configured. */
    muted?: number;
  };
  /**
   * What was read in each account that could be entered: its regions read completely, and whether its
   * providers and roles were. With `errors`, it accounts for every account and region in scope.
   */
  accounts: ReportAccount[];
  clusters: ReportCluster[];
  providers: OidcProvider[];
  issuers: ReportIssuer[];
  errors: AuditError[];
  findings: Finding[];
  /** Only when suppressions are configured: their source, and entries stale or expired (src/report/mute.ts). */
  suppressions?: SuppressionReport;
  /** Only when a section was left out to fit a Lambda response (see src/report/response.ts). */
  omitted?: OmittedSections;
  /** Only when the reader asked for some findings (--severity, --checks, --exclude-checks): what was left out. */
  filtered?: {
    minSeverity?: Severity;
    checks?: string[];
    excludeChecks?: string[];
    hiddenFindings: number;
  };
}

export interface OmittedSections {
  reason: string;
  /** How many items each emptied or shortened section held; `summary` still counts them all. */
  sections: Partial<Record<'issuers' | 'providers' | 'clusters' | 'accounts' | 'findings', number>>;
}

/** An audited account as the report shows it: with its organization name and OU path when they are known. */
export interface ReportAccount extends AuditedAccount {
  name?: string;
  ouPath?: string;
}

/** A cluster as the report shows it: with the roles its service accounts can assume, and as which subjects. */
export interface ReportCluster extends Omit<Cluster, 'kubernetes'> {
  /** With --kubernetes, when the cluster's Kubernetes side was read: how much of it (the inventory holds it all). */
  kubernetes?: KubernetesSummary;
  assumableRoles: Omit<AssumableRole, 'accountId' | 'roleName'>[];
}

export interface KubernetesSummary {
  namespaces: number;
  serviceAccounts: number;
  /** Service accounts with an `eks.amazonaws.com/role-arn` annotation. */
  annotated: number;
  /** Running pods read: those of the annotated service accounts and of the associations' ones. */
  pods: number;
}

/** An issuer as the report shows it: its discovery result joined with its host's TLS probe. */
export interface ReportIssuer extends IssuerProbe {
  tls?: HostProbe;
}
