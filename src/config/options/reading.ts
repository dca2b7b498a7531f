// How the audit reads: the Kubernetes API, issuer probes, AWS calls and their time-outs. Rows of the options
// table (src/config/options.ts).

import { connectToSpec } from '../input.ts';
import type { OptionRow } from '../option.ts';
import { onOff, repeated, wholeNumber } from '../value-types.ts';

export const READING_OPTIONS = [
  /** Also read each cluster's Kubernetes API: service accounts, annotations, pods (docs/kubernetes.md). */
  {
    field: 'kubernetes',
    type: onOff,
    flag: 'kubernetes',
    env: 'AUDIT_KUBERNETES',
    param: 'kubernetes',
    default: false,
    help: {
      section: 'Kubernetes (docs/kubernetes.md)',
      text:
        "also read each cluster's Kubernetes API (service accounts, annotations, pods) with a token of the " +
        'audit role; it needs an EKS access entry with AmazonEKSViewPolicy (deploy/cluster-access.yaml)',
    },
  },
  {
    field: 'connectTo',
    type: repeated(connectToSpec),
    flag: 'connect-to',
    env: 'AUDIT_CONNECT_TO',
    param: 'connectTo',
    help: {
      section: 'Probing',
      arg: 'HOST:PORT:CONNECT_HOST:CONNECT_PORT',
      text:
        'repeatable; open TLS connections for HOST:PORT to CONNECT_HOST:CONNECT_PORT instead (private DNS, ' +
        'proxies); HOST may be *.suffix (every host under it); comma-separated in AUDIT_CONNECT_TO',
    },
  },
  {
    field: 'caWarnDays',
    type: wholeNumber(0, 3650),
    flag: 'ca-warn-days',
    env: 'CA_WARN_DAYS',
    param: 'caWarnDays',
    default: 180,
    help: { section: 'Probing', arg: 'N', text: 'days before CA expiry that count as expiring' },
  },
  /** Connect and read time-out of each issuer probe. */
  {
    field: 'probeTimeoutMs',
    type: wholeNumber(100, 60_000),
    flag: 'probe-timeout-ms',
    env: 'AUDIT_PROBE_TIMEOUT_MS',
    default: 5000,
    help: { section: 'Probing', arg: 'N', text: 'connect and read time-out per issuer' },
  },
  /** AWS calls and probes in flight at once. */
  {
    field: 'concurrency',
    type: wholeNumber(1, 256),
    flag: 'concurrency',
    env: 'AUDIT_CONCURRENCY',
    default: 128,
    help: {
      section: 'Probing',
      arg: 'N',
      text: 'AWS calls in flight at once, across accounts; each account also has a few per service, docs/performance.md',
    },
  },
  /** Attempts per AWS call, the first included; adaptive retry paces throttled ones. */
  {
    // The SDK's own variable: we pass maxAttempts to every client, which would otherwise silently override it.
    field: 'maxAttempts',
    type: wholeNumber(1, 20),
    env: 'AWS_MAX_ATTEMPTS',
    default: 6,
  },
  /** The CLI's --time-limit: the whole run, report and publish included; undefined = none. */
  {
    field: 'timeLimitSeconds',
    type: wholeNumber(10, 86_400),
    flag: 'time-limit',
    help: {
      section: 'Time',
      arg: 'SECONDS',
      text:
        'end the whole run within SECONDS: what was not reached by then is reported as audit-error findings ' +
        '(default: no limit)',
    },
  },
  /** Time-out of each AWS connection attempt. */
  {
    // IAM, EKS and STS answer in well under a second; 3 s to connect and 20 s for a whole answer leave room for a
    // slow region and a 1,000-role ListRoles page while a socket that never answers costs 20 s, not the run.
    field: 'awsConnectTimeoutMs',
    type: wholeNumber(100, 60_000),
    flag: 'aws-connect-timeout-ms',
    env: 'AUDIT_AWS_CONNECT_TIMEOUT_MS',
    default: 3_000,
    help: { section: 'Time', arg: 'N', text: 'per AWS connection attempt' },
  },
  /** Time-out of each AWS request, from sending it to its whole answer (an endpoint that never answers). */
  {
    field: 'awsRequestTimeoutMs',
    type: wholeNumber(1000, 300_000),
    flag: 'aws-request-timeout-ms',
    env: 'AUDIT_AWS_REQUEST_TIMEOUT_MS',
    default: 20_000,
    help: { section: 'Time', arg: 'N', text: 'per AWS request, until its whole answer' },
  },
] as const satisfies readonly OptionRow[];
