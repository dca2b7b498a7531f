// `serverless package` as a user runs it: offline, without AWS credentials. One package run (in a temp copy of the
// service, so a concurrent invoke-local or package in the repo cannot leave stale bundles in it) is shared by all
// the assertions about the zip and the CloudFormation template.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputFromEvent } from '../src/config/event.ts';
import { CONFIGURATION_READS, MEMBER_READS, ORGANIZATION_READS } from './support/audit-reads.ts';
import { type PackagedService, packageService } from './support/service.ts';
import { unpackZip, unzip } from './support/zip.ts';

const run = promisify(execFile);
const MAX_ZIP_BYTES = 1.5 * 1024 * 1024;
// What a cold start compiles (issue 14): the rest of the code is in chunks loaded when a run needs them.
const MAX_HANDLER_BYTES = 1.2 * 1024 * 1024;

const READ_ACTIONS = [...MEMBER_READS, ...ORGANIZATION_READS, ...CONFIGURATION_READS].sort();

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

let packaged: PackagedService;
let out: string;
let template: Template;

beforeAll(async () => {
  // Act: one package run, in a temp copy of the service
  packaged = await packageService();
  out = packaged.out;
  template = packaged.template as Template;
}, 300_000);

afterAll(() => packaged?.remove());

function resourcesOf(type: string) {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** The audit function's role (the fan-out's steps have their own: test/package-fan-out.test.ts). */
function statements(): Statement[] {
  const role = template.Resources.IamRoleLambdaExecution;
  const policies = (role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

/** A `Fn::Sub` resource as CloudFormation resolves it in the `aws` partition. */
function resolveSub(resource: unknown): string {
  const sub = (resource as { 'Fn::Sub'?: string | [string, Record<string, string>] })['Fn::Sub'];
  if (sub === undefined) return JSON.stringify(resource);
  const [text, variables] = typeof sub === 'string' ? [sub, {}] : sub;
  const values: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::AccountId': '123456789012',
    ...variables,
  };
  return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => values[name] ?? `<unresolved ${name}>`);
}

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const isRead = (action: string) => /^[a-z0-9-]+:(List|Get|Describe)[A-Za-z]*$/.test(action);

describe('serverless package (offline, no credentials)', () => {
  it('writes the bundled handler and its chunks, the handler under 1.2 MB and the zip under 1.5 MB', () => {
    // Prepare
    const zip = join(out, 'eks-oidc-auditor.zip');

    // Act
    const size = statSync(zip).size;
    const entries = unzip(zip);
    const names = [...entries.keys()];

    // Assess: the SDK is bundled, not taken from the runtime; no node_modules, sources or stale bundles. The
    // handler is what a cold start compiles; the chunks load when a run needs them (src/package.json: ES modules).
    expect(size).toBeLessThan(MAX_ZIP_BYTES);
    expect(names).toContain('src/handler.js');
    expect(names.filter((name) => !/^src\/[\w-]+\.js$/.test(name))).toEqual(['src/package.json']);
    expect(JSON.parse(entries.get('src/package.json')?.toString('utf8') ?? '{}')).toMatchObject({
      type: 'module',
    });
    expect(entries.get('src/handler.js')?.length).toBeLessThan(MAX_HANDLER_BYTES);
    const chunks = names.filter((name) => name !== 'src/handler.js' && name.endsWith('.js'));
    expect(chunks.some((name) => entries.get(name)?.toString('utf8').includes('DescribeInstances'))).toBe(
      true,
    );
    expect(entries.get('src/handler.js')?.toString('utf8')).not.toContain('DescribeInstances');
    // The Kubernetes reads (--kubernetes) load only when the option is on.
    expect(chunks.some((name) => entries.get(name)?.toString('utf8').includes('k8s-aws-v1.'))).toBe(true);
    expect(entries.get('src/handler.js')?.toString('utf8')).not.toContain('k8s-aws-v1.');
  });

  it('bundles a handler that Node loads and that rejects a bad event before any AWS call', async () => {
    // Prepare: the zip unpacked alone in a directory, as Lambda unpacks it
    const task = join(out, 'task');
    unpackZip(join(out, 'eks-oidc-auditor.zip'), task);
    const probe = `
      import(${JSON.stringify(pathToFileURL(join(task, 'src', 'handler.js')).href)}).then(({ handler }) =>
        handler({ trigger: 'manual', regions: 'us-east-1' }, { getRemainingTimeInMillis: () => 900000 })
          .then(() => console.log(JSON.stringify({ ok: true })))
          .catch((e) => console.log(JSON.stringify({ type: typeof handler, name: e.name, message: e.message }))));`;

    // Act: a plain Node process, no credentials, log level silent
    const { stdout } = await run(process.execPath, ['-e', probe], {
      cwd: task,
      env: {
        PATH: process.env.PATH ?? '',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      timeout: 60_000,
    });

    // Assess
    const lastLine = stdout.trim().split('\n').at(-1) ?? '';
    expect(JSON.parse(lastLine)).toEqual({
      type: 'function',
      name: 'ConfigError',
      message: expect.stringMatching(/^event field regions: /),
    });
  });

  it('declares the function on Node 24, arm64, with its configuration', () => {
    // Prepare
    const [[, fn] = []] = resourcesOf('AWS::Lambda::Function');

    // Act
    const props = fn?.Properties ?? {};
    const variables = (props.Environment as { Variables: Record<string, string> }).Variables;

    // Assess
    expect(props).toMatchObject({
      Handler: 'src/handler.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 1769,
      Timeout: 900,
    });
    expect(variables).toMatchObject({
      AUDIT_ACCOUNTS: '',
      AUDIT_REGIONS: '',
      AUDIT_ROLE_NAME: 'OIDCAuditRole',
      AUDIT_EXTERNAL_ID: '',
      AUDIT_CONNECT_TO: '',
      METRICS_NAMESPACE: 'EKS/OIDCAudit',
      CA_WARN_DAYS: '180',
      POWERTOOLS_SERVICE_NAME: 'eks-oidc-auditor',
      LOG_LEVEL: 'INFO',
    });
  });

  it('schedules the audit daily with the schedule event as input', () => {
    // Prepare: the function's schedule (the fan-out's, disabled by default, is in package-fan-out.test.ts)
    const rules = resourcesOf('AWS::Events::Rule').filter(([id]) => !id.includes('StepFunctions'));

    // Act
    const [[, rule] = []] = rules;
    const targets = (rule?.Properties.Targets ?? []) as { Input: string; Arn: unknown }[];
    const input = JSON.parse(targets[0]?.Input ?? 'null') as unknown;

    // Assess: the input is the documented event, and the handler's own parser accepts it
    expect(rules).toHaveLength(1);
    expect(rule?.Properties).toMatchObject({ ScheduleExpression: 'rate(1 day)', State: 'ENABLED' });
    expect(targets).toHaveLength(1);
    expect(targets[0]?.Arn).toEqual({ 'Fn::GetAtt': ['AuditLambdaFunction', 'Arn'] });
    expect(input).toEqual({ trigger: 'schedule' });
    expect(inputFromEvent(input)).toMatchObject({ trigger: 'schedule', dryRun: false });
  });

  it('grants exactly the read calls of the audit, and AssumeRole into the member role only', () => {
    // Prepare
    const all = statements();

    // Act
    const actions = all.flatMap(actionsOf);
    const writes = all.filter((s) => actionsOf(s).some((a) => !isRead(a)));

    // Assess: no wildcard actions, no Deny tricks, every audit call granted, nothing else readable either
    expect(all.every((s) => s.Effect === 'Allow')).toBe(true);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actions.filter((a) => isRead(a)).sort()).toEqual(READ_ACTIONS);
    // Assess: the only writes are AssumeRole on the member role and the function's own log group, besides
    // publishing (metrics, alerts, alert state, failure destination), asserted in package-publish.test.ts
    const publishing = (s: Statement) =>
      s.Sid?.startsWith('Publish') || actionsOf(s).every((a) => a === 'sqs:SendMessage');
    for (const statement of writes.filter((s) => !publishing(s))) {
      const resource = JSON.stringify(statement.Resource);
      if (actionsOf(statement).includes('sts:AssumeRole')) {
        expect(actionsOf(statement)).toEqual(['sts:AssumeRole']);
        expect(resolveSub(statement.Resource)).toBe('arn:aws:iam::*:role/OIDCAuditRole');
      } else {
        expect(actionsOf(statement).every((a) => a.startsWith('logs:'))).toBe(true);
        expect(resource).toContain('log-group:/aws/lambda/eks-oidc-auditor-');
      }
    }
    expect(writes.filter((s) => actionsOf(s).includes('sts:AssumeRole'))).toHaveLength(1);
  });
});
