import { parseArgs } from 'node:util';
import * as z from 'zod';
import { CHECK_IDS, type CheckId } from '../model/catalog.ts';
import { SEVERITIES, type Severity } from '../model/finding.ts';

const checkId = z.enum(CHECK_IDS as [CheckId, ...CheckId[]], {
  error: 'expected a check id (eks-oidc-audit --list-checks prints them)',
});

import { ConfigError, configErrorFrom } from './errors.ts';
import {
  awsConnectTimeoutNumber,
  awsRequestTimeoutNumber,
  type ConfigInput,
  caWarnDaysNumber,
  concurrencyNumber,
  connectToSpec,
  csv,
  intString,
  MAX_REGIONS,
  probeTimeoutNumber,
  reminderDaysNumber,
  timeLimitNumber,
} from './input.ts';
import { OUTPUT_FORMATS, type OutputFormat, outputFileFormat } from './output-format.ts';
import {
  accountId,
  alertSeverity,
  externalId,
  homeRegion,
  metricsNamespace,
  ouId,
  profileName,
  region,
  roleName,
  tableName,
  topicArn,
} from './schema.ts';

export { OUTPUT_FORMATS, type OutputFormat } from './output-format.ts';

export interface CliOptions {
  input: ConfigInput;
  format?: OutputFormat;
  output?: string;
  /** The format --output is written in: --format, else the file's extension, else JSON. */
  outputFormat?: OutputFormat;
  /** Where every format is written at once (REPORT_FILES of output-format.ts). */
  outputDir?: string;
  failOn?: Severity;
  /** What the printed report and --fail-on see; the audit and what it publishes stay whole. */
  filter: { minSeverity?: Severity; checks?: CheckId[]; excludeChecks?: CheckId[] };
  help: boolean;
  version: boolean;
  /** Print the check catalog and exit. */
  listChecks: boolean;
  /** With `--shard`: where this shard writes its inventory part instead of a report. */
  partOut?: string;
  /** The merge step: judge these parts (every shard's) as one audit, reading nothing from AWS. */
  merge?: string[];
}

/** The flags parseArgs knows, for the `report` command's own parsing (report-command.ts). */
export const FLAG_OPTIONS = {
  regions: { type: 'string' },
  accounts: { type: 'string' },
  'role-name': { type: 'string' },
  'external-id': { type: 'string' },
  'include-ous': { type: 'string' },
  'exclude-ous': { type: 'string' },
  'exclude-accounts': { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  'output-dir': { type: 'string' },
  'fail-on': { type: 'string' },
  severity: { type: 'string' },
  checks: { type: 'string' },
  'exclude-checks': { type: 'string' },
  suppressions: { type: 'string' },
  publish: { type: 'boolean' },
  'security-hub': { type: 'boolean' },
  'alert-topic-arn': { type: 'string' },
  'alert-state-table': { type: 'string' },
  'alert-min-severity': { type: 'string' },
  'alert-reminder-days': { type: 'string' },
  'metrics-namespace': { type: 'string' },
  'metrics-per-account': { type: 'boolean' },
  'connect-to': { type: 'string', multiple: true },
  'ca-warn-days': { type: 'string' },
  'probe-timeout-ms': { type: 'string' },
  concurrency: { type: 'string' },
  'aws-connect-timeout-ms': { type: 'string' },
  'aws-request-timeout-ms': { type: 'string' },
  'time-limit': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  'list-checks': { type: 'boolean' },
  shard: { type: 'string' },
  'part-out': { type: 'string' },
  merge: { type: 'string', multiple: true },
  kubernetes: { type: 'boolean' },
} as const;

const flagSchema = z.strictObject({
  regions: z.union([z.literal('all'), csv(region, MAX_REGIONS)]).optional(),
  accounts: z.union([z.literal('org'), csv(accountId)]).optional(),
  'role-name': roleName.optional(),
  'external-id': externalId.optional(),
  'include-ous': csv(ouId).optional(),
  'exclude-ous': csv(ouId).optional(),
  'exclude-accounts': csv(accountId).optional(),
  profile: profileName.optional(),
  region: homeRegion.optional(),
  format: z.enum(OUTPUT_FORMATS, { error: `expected one of ${OUTPUT_FORMATS.join(', ')}` }).optional(),
  output: z.string().min(1, 'expected a file path').optional(),
  'output-dir': z.string().min(1, 'expected a directory path').optional(),
  'fail-on': z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` }).optional(),
  severity: z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` }).optional(),
  checks: csv(checkId).optional(),
  'exclude-checks': csv(checkId).optional(),
  suppressions: z.string().min(1, 'expected a file path').optional(),
  publish: z.boolean().optional(),
  'security-hub': z.boolean().optional(),
  'alert-topic-arn': topicArn.optional(),
  'alert-state-table': tableName.optional(),
  'alert-min-severity': alertSeverity.optional(),
  'alert-reminder-days': intString(0, 365).pipe(reminderDaysNumber).optional(),
  'metrics-namespace': metricsNamespace.optional(),
  'metrics-per-account': z.boolean().optional(),
  'connect-to': z.array(connectToSpec).optional(),
  'ca-warn-days': intString(0, 3650).pipe(caWarnDaysNumber).optional(),
  'probe-timeout-ms': intString(100, 60_000).pipe(probeTimeoutNumber).optional(),
  concurrency: intString(1, 256).pipe(concurrencyNumber).optional(),
  'aws-connect-timeout-ms': intString(100, 60_000).pipe(awsConnectTimeoutNumber).optional(),
  'aws-request-timeout-ms': intString(1000, 300_000).pipe(awsRequestTimeoutNumber).optional(),
  'time-limit': intString(10, 86_400).pipe(timeLimitNumber).optional(),
  help: z.boolean().optional(),
  version: z.boolean().optional(),
  'list-checks': z.boolean().optional(),
  shard: z
    .string()
    .regex(/^\d{1,5}\/\d{1,5}$/, 'expected I/N, this run being shard I of N (1/4 to 4/4)')
    .transform((value) => {
      const [index = 0, count = 0] = value.split('/').map(Number);
      return { index, count };
    })
    .refine((s) => s.count >= 1 && s.index >= 1 && s.index <= s.count, 'expected I/N with 1 <= I <= N')
    .optional(),
  'part-out': z.string().min(1, 'expected a file path').optional(),
  merge: z.array(z.string().min(1, 'expected a file path')).optional(),
  kubernetes: z.boolean().optional(),
});

export function parseFlags(argv: string[]): CliOptions {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options: FLAG_OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    // parseArgs already names the flag ("Unknown option '--regon'"); keep its words, drop its code.
    throw new ConfigError(`flags: ${(error as Error).message}`);
  }
  const parsed = flagSchema.safeParse(values);
  if (!parsed.success) {
    const error = configErrorFrom('flag', parsed.error);
    throw new ConfigError(error.message.replace(/^flag (\S+):/gm, 'flag --$1:'));
  }
  const f = parsed.data;
  // Without --publish nothing is sent: a topic given alone is a mistake, not a quiet no-op.
  if (f['security-hub'] && !f.publish) {
    throw new ConfigError(
      'flag --security-hub: findings go to Security Hub only with --publish; add --publish',
    );
  }
  if (f.shard && !f['part-out'])
    throw new ConfigError('flag --shard: a shard writes its inventory part; add --part-out FILE');
  if (f['part-out'] && !f.shard)
    throw new ConfigError('flag --part-out: only a shard writes a part; add --shard I/N');
  if (f.shard && (f.merge || f.publish))
    throw new ConfigError(
      `flag --shard: a shard only reads and writes its part; ${f.merge ? '--merge' : '--publish'} belongs to the merge step`,
    );
  if (f['alert-topic-arn'] !== undefined && !f.publish) {
    throw new ConfigError(
      'flag --alert-topic-arn: alerts are only sent with --publish; add --publish or drop the topic',
    );
  }
  return {
    input: {
      regions: f.regions,
      accounts: f.accounts,
      roleName: f['role-name'],
      externalId: f['external-id'],
      includeOus: f['include-ous'],
      excludeOus: f['exclude-ous'],
      excludeAccounts: f['exclude-accounts'],
      publish: f.publish,
      securityHub: f['security-hub'],
      alertTopicArn: f['alert-topic-arn'],
      alertStateTable: f['alert-state-table'],
      alertMinSeverity: f['alert-min-severity'],
      alertReminderDays: f['alert-reminder-days'],
      metricsNamespace: f['metrics-namespace'],
      metricsPerAccount: f['metrics-per-account'],
      connectTo: f['connect-to'],
      caWarnDays: f['ca-warn-days'],
      probeTimeoutMs: f['probe-timeout-ms'],
      concurrency: f.concurrency,
      awsConnectTimeoutMs: f['aws-connect-timeout-ms'],
      awsRequestTimeoutMs: f['aws-request-timeout-ms'],
      timeLimitSeconds: f['time-limit'],
      ...(f.suppressions ? { suppressions: { kind: 'file' as const, path: f.suppressions } } : {}),
      ...(f.shard ? { shard: f.shard } : {}),
      profile: f.profile,
      homeRegion: f.region,
      ...(f.kubernetes ? { kubernetes: true } : {}),
    },
    format: f.format,
    ...(f.output ? { output: f.output, outputFormat: outputFileFormat(f.output, f.format) } : {}),
    ...(f['output-dir'] ? { outputDir: f['output-dir'] } : {}),
    failOn: f['fail-on'],
    filter: {
      ...(f.severity ? { minSeverity: f.severity } : {}),
      ...(f.checks ? { checks: f.checks } : {}),
      ...(f['exclude-checks'] ? { excludeChecks: f['exclude-checks'] } : {}),
    },
    help: f.help ?? false,
    version: f.version ?? false,
    listChecks: f['list-checks'] ?? false,
    ...(f['part-out'] ? { partOut: f['part-out'] } : {}),
    ...(f.merge ? { merge: f.merge } : {}),
  };
}
