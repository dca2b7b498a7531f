import type {
  AuditError,
  AuditedAccount,
  Cluster,
  HostProbe,
  IssuerProbe,
  OidcProvider,
} from '../inventory/types.ts';
import type { AssumableRole } from '../trust/assumable.ts';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CHECK_IDS = [
  'provider-missing',
  'provider-alias-url',
  'audience-missing',
  'audience-extra',
  'thumbprint-mismatch',
  'thumbprint-slots-full',
  'ca-expiring',
  'ca-expired',
  'provider-orphaned',
  'issuer-unreachable',
  'trust-no-sub',
  'trust-wildcard-sub',
  'trust-set-operator',
  'trust-wrong-action',
  'trust-unknown-provider',
  'trust-key-mismatch',
  'trust-malformed-sub',
  'trust-no-aud',
  'trust-multi-cluster',
  'audit-error',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export interface Finding {
  /** Stable hash of check + resource (+ a discriminator), so alerting can follow a finding across runs. */
  id: string;
  check: CheckId;
  severity: Severity;
  accountId: string;
  region: string | null;
  /** ARN of the cluster, provider or role, or `account:<id>` / `region:<id>/<region>`. */
  resource: string;
  cluster: string | null;
  /** One line, with the symptom users see (the STS error text). */
  message: string;
  /** The exact command or policy change, with real values. */
  remediation: string;
  evidence: Record<string, unknown>;
}

export type Trigger = 'schedule' | 'manual' | 'cli';

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
  };
  /**
   * What was read in each account that could be entered: its regions read completely, and whether its
   * providers and roles were. With `errors`, it accounts for every account and region in scope.
   */
  accounts: AuditedAccount[];
  clusters: ReportCluster[];
  providers: OidcProvider[];
  issuers: ReportIssuer[];
  errors: AuditError[];
  findings: Finding[];
  /** Only when a section was left out to fit a Lambda response (see src/report/response.ts). */
  omitted?: OmittedSections;
}

export interface Coverage {
  /** Account × region pairs in scope. */
  pairsInScope: number;
  /** Of those, the pairs read completely (the region's EKS and the account's IAM). */
  pairsAudited: number;
  /** pairsAudited over pairsInScope, in percent, rounded down to a tenth: 100 only when nothing was missed. */
  percent: number;
  /** Accounts that could not be read at all (src/inventory/blind.ts). */
  blindAccounts: string[];
}

export interface OmittedSections {
  reason: string;
  /** How many items each emptied or shortened section held; `summary` still counts them all. */
  sections: Partial<Record<'issuers' | 'providers' | 'clusters' | 'accounts' | 'findings', number>>;
}

/** A cluster as the report shows it: with the roles its service accounts can assume, and as which subjects. */
export interface ReportCluster extends Cluster {
  assumableRoles: Omit<AssumableRole, 'accountId' | 'roleName'>[];
}

/** An issuer as the report shows it: its discovery result joined with its host's TLS probe. */
export interface ReportIssuer extends IssuerProbe {
  tls?: HostProbe;
}
