import type { CliOptions } from '../config/flags.ts';
import { DEFAULTS } from '../config/schema.ts';
import { checkList, listedChecks } from '../report/check-list.ts';
import type { CliIo } from './io.ts';
import { formatOf } from './output.ts';

/** What --help, --version and --list-checks print: no audit, no credentials needed. */
export function infoText(io: CliIo, options: CliOptions): string {
  if (options.help) return HELP;
  if (options.version) return `${io.version}\n`;
  return checkList(listedChecks(options.filter), formatOf(options, io.stdout));
}

export const HELP = `Usage: eks-oidc-audit [options]
       eks-oidc-audit report FILE [--format …] [--output …] [--output-dir …] [filters] [--suppressions …]

Audits EKS workload identity (IRSA): every cluster's OIDC issuer, IAM OIDC provider,
thumbprints, audiences, issuer CA expiry, orphaned providers and role trust policies.

Scope
  --accounts id1,id2 | org    accounts to audit (default: the account of the current credentials)
  --regions r1,r2 | all       regions (default: all = every region enabled for each account)
  --role-name NAME            role assumed in each other account (default: ${DEFAULTS.roleName})
  --external-id ID            ExternalId for that AssumeRole
  --include-ous ou-…,r-…      with --accounts org: only accounts under these OUs
  --exclude-ous ou-…          with --accounts org: skip accounts under these OUs
  --exclude-accounts id,…     with --accounts org: skip these accounts
  --profile NAME              credentials of this profile of ~/.aws/config (as the AWS CLI's --profile)
  --region NAME               home region of STS and publishing, not an audited one (default: AWS_REGION,
                              the profile's region, else us-east-1); the regions audited are --regions

Output
  --format table|json|csv|ocsf|html
                              default: table on a terminal, else json; csv: one row per finding;
                              ocsf: one OCSF Detection Finding per line (Security Hub, SIEMs);
                              html: one self-contained page to open in a browser
  --output FILE               also write the report to FILE, in --format, else the format its name ends
                              with (.json, .csv, .ocsf.jsonl or .jsonl, .html, .txt for the table), else JSON;
                              a name of another format than --format is a usage error
  --output-dir DIR            also write every format into DIR (made if missing): report.json, report.csv,
                              report.ocsf.jsonl, report.html, report.txt (the table, without colours)
  --fail-on SEVERITY          exit 2 when a finding at or above it exists
                              (critical, high, medium, low, info)
  --severity SEVERITY         show only findings at or above it (the report and the table say how many
                              it hides)
  --checks id,…               show only these checks; --exclude-checks id,… all but these
  --publish                   also send metrics and alerts, as the Lambda does
  --security-hub              with --publish: also import the findings into Security Hub CSPM
  --suppressions FILE         accepted risks (YAML): matching findings are muted, not alerted or counted

Publishing (with --publish)
  --alert-topic-arn ARN       SNS topic for the alert digest
  --alert-state-table NAME    DynamoDB table of the alert state (required for alerts)
  --alert-min-severity SEV    alert findings at or above it (default ${DEFAULTS.alertMinSeverity})
  --alert-reminder-days N     remind of findings still open after N days; 0 = never (default ${DEFAULTS.alertReminderDays})
  --metrics-namespace NS      CloudWatch namespace (default ${DEFAULTS.metricsNamespace})
  --metrics-per-account       also publish findings per account (costs more: see the README)

Kubernetes (docs/kubernetes.md)
  --kubernetes                also read each cluster's Kubernetes API (service accounts, annotations,
                              pods) with a token of the audit role; it needs an EKS access entry with
                              AmazonEKSViewPolicy (deploy/cluster-access.yaml). Off by default

Probing
  --connect-to HOST:PORT:CONNECT_HOST:CONNECT_PORT
                              repeatable; open TLS connections for HOST:PORT to
                              CONNECT_HOST:CONNECT_PORT instead (private DNS, proxies);
                              HOST may be *.suffix (every host under it)
  --ca-warn-days N            days before CA expiry that count as expiring (default ${DEFAULTS.caWarnDays})
  --probe-timeout-ms N        connect and read time-out per issuer (default ${DEFAULTS.probeTimeoutMs})
  --concurrency N             AWS calls in flight at once, across accounts (default ${DEFAULTS.concurrency});
                              each account also has a few per service (docs/performance.md)

Time
  --time-limit SECONDS        end the whole run within SECONDS: what was not reached by then is
                              reported as audit-error findings (default: no limit)
  --aws-connect-timeout-ms N  per AWS connection attempt (default ${DEFAULTS.awsConnectTimeoutMs})
  --aws-request-timeout-ms N  per AWS request, until its whole answer (default ${DEFAULTS.awsRequestTimeoutMs})

Splitting an audit (docs/fan-out.md)
  --shard I/N --part-out FILE read only shard I of N of the accounts in scope and write what was read
                              to FILE (gzip JSON lines) instead of a report
  --merge FILE                repeatable, one per shard: judge the parts as one audit (no AWS reads);
                              report, formats, --fail-on and --publish as for a whole run

Rendering a saved report (no AWS reads)
  report FILE                 a JSON report saved by --output or --output-dir (gzipped too) printed again in
                              --format, to --output/--output-dir; --severity, --checks, --exclude-checks and
                              --fail-on apply again; with --suppressions, today's mutes replace the saved ones

  --list-checks               the checks, their severities and what they find; --format table|json|csv,
                              narrowed by --severity (checks that can reach it), --checks, --exclude-checks
  -h, --help                  this text
  --version                   the version

Environment: AUDIT_ACCOUNTS, AUDIT_REGIONS, AUDIT_ROLE_NAME, AUDIT_EXTERNAL_ID, CA_WARN_DAYS,
AUDIT_CONNECT_TO (comma-separated), ALERT_TOPIC_ARN, ALERT_STATE_TABLE, ALERT_MIN_SEVERITY,
ALERT_REMINDER_DAYS, METRICS_NAMESPACE, METRICS_PER_ACCOUNT, AUDIT_AWS_CONNECT_TIMEOUT_MS,
AUDIT_AWS_REQUEST_TIMEOUT_MS, AWS_MAX_ATTEMPTS, SECURITY_HUB, AUDIT_SUPPRESSIONS_PARAMETER (an SSM
parameter name), AUDIT_SUPPRESSIONS_OBJECT (s3://BUCKET/KEY), REPORT_BUCKET (with --publish: the JSON and
HTML reports go there), AUDIT_KUBERNETES (true: as --kubernetes); flags override them.
Credentials: --profile, else the usual AWS chain (AWS_PROFILE, SSO, environment, instance role).

Exit codes: 0 done, 2 findings at or above --fail-on, 1 usage/config error or a failed audit
(a run of coverage 0%, no account x region pair read, fails whatever --fail-on says).
`;
