import { DEFAULTS } from '../config/schema.ts';

export const HELP = `Usage: eks-oidc-audit [options]

Audits EKS workload identity (IRSA): every cluster's OIDC issuer, IAM OIDC provider,
thumbprints, audiences, issuer CA expiry and orphaned providers.

Scope
  --accounts id1,id2 | org    accounts to audit (default: the account of the current credentials)
  --regions r1,r2 | all       regions (default: all = every region enabled for each account)
  --role-name NAME            role assumed in each other account (default: ${DEFAULTS.roleName})
  --external-id ID            ExternalId for that AssumeRole
  --include-ous ou-…,r-…      with --accounts org: only accounts under these OUs
  --exclude-ous ou-…          with --accounts org: skip accounts under these OUs
  --exclude-accounts id,…     with --accounts org: skip these accounts

Output
  --format table|json         default: table on a terminal, else json
  --output FILE               also write the JSON report to FILE
  --fail-on SEVERITY          exit 2 when a finding at or above it exists
                              (critical, high, medium, low, info)
  --publish                   also send metrics and alerts, as the Lambda does

Probing
  --connect-to HOST:PORT:CONNECT_HOST:CONNECT_PORT
                              repeatable; open TLS connections for HOST:PORT to
                              CONNECT_HOST:CONNECT_PORT instead (private DNS, proxies)
  --ca-warn-days N            days before CA expiry that count as expiring (default ${DEFAULTS.caWarnDays})
  --probe-timeout-ms N        connect and read time-out per issuer (default ${DEFAULTS.probeTimeoutMs})
  --concurrency N             AWS calls in flight at once (default ${DEFAULTS.concurrency})

  -h, --help                  this text
  --version                   the version

Environment: AUDIT_ACCOUNTS, AUDIT_REGIONS, AUDIT_ROLE_NAME, AUDIT_EXTERNAL_ID, CA_WARN_DAYS,
AUDIT_CONNECT_TO (comma-separated), ALERT_TOPIC_ARN, METRICS_NAMESPACE; flags override them.
Credentials: the usual AWS chain (AWS_PROFILE, SSO, environment, instance role).

Exit codes: 0 done, 2 findings at or above --fail-on, 1 usage/config error or a failed audit.
`;
