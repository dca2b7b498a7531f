// A local osls plugin (serverless.yml `plugins`): the stack's params checked before packaging or deploying, so a
// bad value fails `serverless package`/`deploy` naming the param and what it takes, not the function's first run.
// The params that become the functions' environment are checked by the very readers the Lambda runs
// (src/config/env.ts, src/config/fan-out.ts) on the resolved environment; the others, which only shape the stack,
// by the rules below (CloudFormation's and EventBridge's own limits).
import * as z from 'zod';
import { inputFromEnv } from '../src/config/env.ts';
import { FAN_OUT_OPTIONS, fanOutSettings } from '../src/config/fan-out.ts';
import { region } from '../src/config/fields.ts';
import { booleanString, intString } from '../src/config/input.ts';
import { OPTIONS } from '../src/config/options.ts';

/** The param each environment variable of serverless.yml's `provider.environment` and `custom` comes from. */
const PARAM_OF_VARIABLE: Record<string, string> = Object.fromEntries(
  [...OPTIONS, ...FAN_OUT_OPTIONS].flatMap((row) => ('param' in row ? [[row.env, row.param]] : [])),
);

// The stack compares these params' text with `true` (serverless.yml: Fn::Equals, custom.fanOut.<value>), so `True`
// would quietly be off.
const stackSwitch = z
  .string()
  .refine((value) => value === value.toLowerCase(), 'expected true or false, in lower case')
  .pipe(booleanString);
/** CloudWatch Logs' retention periods, the only values it accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const RATE = /^rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$/;
const CRON = /^cron\(\S+( \S+){5}\)$/;

/** The params that shape only the stack, each with what it takes; '' is "not set" where the param allows it. */
const STACK_PARAMS: Record<string, z.ZodType> = {
  region,
  schedule: z
    .string()
    .refine(
      (v) => RATE.test(v) || CRON.test(v),
      'expected an EventBridge schedule: rate(1 day), rate(12 hours) ... or cron(Minutes Hours Day-of-month Month Day-of-week Year)',
    ),
  scheduleEnabled: stackSwitch,
  storeReports: stackSwitch,
  fanOut: stackSwitch,
  organizationId: z
    .string()
    .refine(
      (v) => v === '' || /^o-[a-z0-9]{10,32}$/.test(v),
      "expected an organization id: o- then 10 to 32 of a-z 0-9 (or '' for none)",
    ),
  alertEmail: z
    .string()
    .refine(
      (v) => v === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
      "expected an email address (or '' for none)",
    ),
  reportRetentionDays: intString(1, 3650),
  partRetentionDays: intString(1, 3650),
  logRetentionDays: z
    .string()
    .refine(
      (v) => LOG_RETENTION_DAYS.includes(Number(v)),
      `expected one of ${LOG_RETENTION_DAYS.join(', ')}`,
    ),
  memorySize: intString(128, 10_240),
  mergeMemorySize: intString(128, 10_240),
  // CloudWatch evaluates an alarm over at most 7 days of hourly periods.
  heartbeatHours: intString(1, 168),
  logLevel: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'], {
    error: 'expected one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT',
  }),
};

/** `environment variable AUDIT_ACCOUNTS: expected …` (src/config/errors.ts) as `accounts = "…" (AUDIT_ACCOUNTS): expected …`. */
function asParamProblems(error: unknown, params: ResolvedService['params']): string[] {
  return (error as Error).message.split('\n').map((line) =>
    line.replace(/^environment variable (\w+)/, (_, variable: string) => {
      const param = PARAM_OF_VARIABLE[variable];
      if (param === undefined) return variable;
      return `${param} = ${JSON.stringify(String(params[param] ?? ''))} (${variable})`;
    }),
  );
}

/** A function's environment as deployed: the provider's and its own, without CloudFormation references. */
function literalEnvironment(...layers: (Record<string, unknown> | undefined)[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer ?? {})) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        env[name] = String(value);
      } else {
        delete env[name];
      }
    }
  }
  return env;
}

export interface ResolvedService {
  /** Every param's value as osls resolves `${param:…}`. */
  params: Record<string, unknown>;
  providerEnvironment?: Record<string, unknown>;
  functions: Record<string, { environment?: Record<string, unknown> }>;
}

const stringOrUndefined = (value: unknown) => (value === undefined ? undefined : String(value));

/** The fan-out's variables that the stack sets from a param, as it sets them. */
function fanOutEnvironment(params: ResolvedService['params']): Record<string, string | undefined> {
  return Object.fromEntries(
    FAN_OUT_OPTIONS.flatMap((row) =>
      'param' in row ? [[row.env, stringOrUndefined(params[row.param])]] : [],
    ),
  );
}

/** Each problem once, as `<param> …: <what it takes>`; [] when every param is good. */
export function deployParamProblems(service: ResolvedService): string[] {
  const problems = new Set<string>();
  for (const [name, schema] of Object.entries(STACK_PARAMS)) {
    const value = service.params[name];
    if (value === undefined) continue;
    const parsed = schema.safeParse(String(value));
    if (!parsed.success) {
      problems.add(`${name} = ${JSON.stringify(String(value))}: ${parsed.error.issues[0]?.message}`);
    }
  }
  const readers = Object.values(service.functions).map(
    (fn) => () => inputFromEnv(literalEnvironment(service.providerEnvironment, fn.environment)),
  );
  // The fan-out's settings, whether it is on or not (a stack switched to fanOut=true later takes them as they
  // are); its bucket is a reference, which any valid name stands in for.
  readers.push(() => fanOutSettings({ PARTS_BUCKET: 'parts-bucket', ...fanOutEnvironment(service.params) }));
  for (const read of readers) {
    try {
      read();
    } catch (error) {
      for (const problem of asParamProblems(error, service.params)) problems.add(problem);
    }
  }
  return [...problems];
}

interface Serverless {
  configurationInput: { params?: Record<string, Record<string, unknown> | undefined> };
  processedInput: { options: { param?: string[] } };
  service: {
    provider: { stage?: string; environment?: Record<string, unknown> };
    functions: ResolvedService['functions'];
  };
  classes: { Error: new (message: string) => Error };
}

/** The params as osls resolves `${param:name}`: --param, then the stage's, then `default`. */
function resolvedParams(serverless: Serverless, stage: string): Record<string, unknown> {
  const params = serverless.configurationInput.params ?? {};
  const cli: Record<string, string> = {};
  for (const item of serverless.processedInput.options.param ?? []) {
    const at = item.indexOf('=');
    if (at > 0) cli[item.slice(0, at)] = item.slice(at + 1).trimEnd();
  }
  return { ...params.default, ...params[stage], ...cli };
}

export default class CheckDeployParams {
  readonly hooks: Record<string, () => void>;

  constructor(serverless: Serverless, options: { stage?: string }) {
    const check = () => {
      const stage = options.stage ?? serverless.service.provider.stage ?? 'dev';
      const problems = deployParamProblems({
        params: resolvedParams(serverless, stage),
        providerEnvironment: serverless.service.provider.environment,
        functions: serverless.service.functions,
      });
      if (problems.length > 0) {
        throw new serverless.classes.Error(
          `Invalid deploy parameters (serverless.yml params, --param):\n${problems.map((p) => `  ${p}`).join('\n')}`,
        );
      }
    };
    this.hooks = { 'before:package:initialize': check, 'before:deploy:deploy': check };
  }
}
