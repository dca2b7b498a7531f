// What the CLI prints and filters, and what a run publishes and mutes. Rows of the options table
// (src/config/options.ts).

import { checkId, directoryPath, filePath, outputFormat, severity, ssmParameterName } from '../fields.ts';
import { csv, s3ObjectUri } from '../input.ts';
import type { AnyOption } from '../option.ts';
import type { OptionValues } from '../options.ts';
import { onOff, textual } from '../value-types.ts';

export const OUTPUT_OPTIONS = [
  {
    field: 'format',
    type: textual(outputFormat),
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
  {
    field: 'outputDir',
    type: textual(directoryPath),
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
    flag: 'checks',
    report: true,
    help: { section: 'Output', arg: 'id,…', text: 'show only these checks' },
  },
  {
    field: 'excludeChecks',
    type: textual(csv(checkId)),
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
  {
    field: 'securityHub',
    type: onOff,
    flag: 'security-hub',
    env: 'SECURITY_HUB',
    param: 'securityHub',
    default: false,
    help: { section: 'Output', text: 'with --publish: also import the findings into Security Hub CSPM' },
  },
  {
    field: 'suppressions',
    type: textual(filePath.transform((path) => ({ kind: 'file' as const, path }))),
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
    type: textual(ssmParameterName.transform((name) => ({ kind: 'ssm' as const, name }))),
    env: 'AUDIT_SUPPRESSIONS_PARAMETER',
    param: 'suppressionsParameter',
  },
  {
    field: 'suppressions',
    type: textual(s3ObjectUri.transform((object) => ({ kind: 's3' as const, ...object }))),
    env: 'AUDIT_SUPPRESSIONS_OBJECT',
    param: 'suppressionsObject',
  },
] as const satisfies readonly AnyOption<OptionValues>[];
