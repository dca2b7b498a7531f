// What the CLI prints and filters, and what a run publishes and mutes. Rows of the options table
// (src/config/options.ts).

import { checkId, directoryPath, filePath, outputFormat, severity, ssmParameterName } from '../fields.ts';
import { csv, type SuppressionSource, s3ObjectUri } from '../input.ts';
import type { OptionRow } from '../option.ts';
import { onOff, textual } from '../value-types.ts';

export const OUTPUT_OPTIONS = [
  {
    field: 'format',
    type: textual(outputFormat),
    cliOnly: true,
    flag: 'format',
    report: true,
    help: {
      section: 'Output',
      arg: 'table|json|csv|ocsf|html',
      text:
        'default: table on a terminal, else json; csv: one row per finding; ocsf: one OCSF Detection Finding ' +
        'per line (Security Hub, SIEMs); html: one self-contained page to open in a browser',
    },
  },
  {
    field: 'output',
    type: textual(filePath),
    cliOnly: true,
    flag: 'output',
    report: true,
    help: {
      section: 'Output',
      arg: 'FILE',
      text:
        'also write the report to FILE, in --format, else the format its name ends with (.json, .csv, ' +
        '.ocsf.jsonl or .jsonl, .html, .txt for the table), else JSON; a name of another format than --format ' +
        'is a usage error',
    },
  },
  /** Where every format is written at once (REPORT_FILES of output-format.ts). */
  {
    field: 'outputDir',
    type: textual(directoryPath),
    cliOnly: true,
    flag: 'output-dir',
    report: true,
    help: {
      section: 'Output',
      arg: 'DIR',
      text:
        'also write every format into DIR (made if missing): report.json, report.csv, report.ocsf.jsonl, ' +
        'report.html, report.txt (the table, without colours)',
    },
  },
  {
    field: 'failOn',
    type: textual(severity),
    cliOnly: true,
    flag: 'fail-on',
    report: true,
    help: {
      section: 'Output',
      arg: 'SEVERITY',
      text: 'exit 2 when a finding at or above it exists (critical, high, medium, low, info)',
    },
  },
  {
    field: 'minSeverity',
    type: textual(severity),
    cliOnly: true,
    flag: 'severity',
    report: true,
    help: {
      section: 'Output',
      arg: 'SEVERITY',
      text: 'show only findings at or above it (the report and the table say how many it hides)',
    },
  },
  {
    field: 'checks',
    type: textual(csv(checkId)),
    cliOnly: true,
    flag: 'checks',
    report: true,
    help: { section: 'Output', arg: 'id,…', text: 'show only these checks' },
  },
  {
    field: 'excludeChecks',
    type: textual(csv(checkId)),
    cliOnly: true,
    flag: 'exclude-checks',
    report: true,
    help: { section: 'Output', arg: 'id,…', text: 'show all checks but these' },
  },
  {
    field: 'publish',
    type: onOff,
    flag: 'publish',
    help: { section: 'Output', text: 'also send metrics and alerts, as the Lambda does' },
  },
  /** Also import the findings into Security Hub CSPM, and archive the resolved ones (docs/security-hub.md). */
  {
    field: 'securityHub',
    type: onOff,
    flag: 'security-hub',
    env: 'SECURITY_HUB',
    param: 'securityHub',
    default: false,
    help: { section: 'Output', text: 'with --publish: also import the findings into Security Hub CSPM' },
  },
  /**
   * Where the accepted risks come from (docs/suppressions.md): a file (CLI), or an SSM parameter or an S3
   * object (Lambda); none when absent.
   */
  {
    field: 'suppressions',
    type: textual(filePath.transform((path): SuppressionSource => ({ kind: 'file', path }))),
    flag: 'suppressions',
    report: true,
    help: {
      section: 'Output',
      arg: 'FILE',
      text: 'accepted risks (YAML): matching findings are muted, not alerted or counted',
    },
  },
  {
    field: 'suppressions',
    type: textual(ssmParameterName.transform((name): SuppressionSource => ({ kind: 'ssm', name }))),
    env: 'AUDIT_SUPPRESSIONS_PARAMETER',
    param: 'suppressionsParameter',
  },
  {
    field: 'suppressions',
    type: textual(s3ObjectUri.transform((object): SuppressionSource => ({ kind: 's3', ...object }))),
    env: 'AUDIT_SUPPRESSIONS_OBJECT',
    param: 'suppressionsObject',
  },
] as const satisfies readonly OptionRow[];
