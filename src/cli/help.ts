import type { CliOptions } from '../config/flags.ts';
import { HELP_SECTIONS } from '../config/option.ts';
import { OPTIONS } from '../config/options.ts';
import { checkList, listedChecks } from '../report/check-list.ts';
import { helpSections, wrap } from './help-text.ts';
import type { CliIo } from './io.ts';
import { formatOf } from './output.ts';

/** What --help, --version and --list-checks print: no audit, no credentials needed. */
export function infoText(io: CliIo, options: CliOptions): string {
  if (options.help) return HELP;
  if (options.version) return `${io.version}\n`;
  return checkList(listedChecks(options.filter), formatOf(options, io.stdout));
}

const USAGE = `Usage: eks-oidc-audit [options]
       eks-oidc-audit report FILE [--format …] [--output …] [--output-dir …] [filters] [--suppressions …]

Audits EKS workload identity (IRSA): every cluster's OIDC issuer, IAM OIDC provider,
thumbprints, audiences, issuer CA expiry, orphaned providers and role trust policies.
`;

const REPORT_COMMAND = `Rendering a saved report (no AWS reads)
  report FILE                 a JSON report saved by --output or --output-dir (gzipped too) printed again in
                              --format, to --output/--output-dir; --severity, --checks, --exclude-checks and
                              --fail-on apply again; with --suppressions, today's mutes replace the saved ones
`;

const ENVIRONMENT = wrap(
  `Environment (README, "The Lambda"): ${OPTIONS.flatMap((row) => ('env' in row ? [row.env] : [])).join(', ')}; flags override them.`,
  104,
).join('\n');

const EXIT_CODES = `Credentials: --profile, else the usual AWS chain (AWS_PROFILE, SSO, environment, instance role).

Exit codes: 0 done, 2 findings at or above --fail-on, 1 usage/config error or a failed audit
(a run of coverage 0%, no account x region pair read, fails whatever --fail-on says).
`;

// The report command's lines come before the untitled section of --list-checks, --help and --version.
const titled = HELP_SECTIONS.filter((section) => section !== '');

const HELP = [
  USAGE,
  ...helpSections(OPTIONS, titled),
  REPORT_COMMAND,
  ...helpSections(OPTIONS, ['']),
  `${ENVIRONMENT}\n${EXIT_CODES}`,
].join('\n');
