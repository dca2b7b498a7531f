// `npm run demo`: a whole audit of a simulated organization, on a fresh machine, without an AWS account.
// Starts the local AWS sandbox (test/sandbox) with the demo world, runs the real Lambda handler against it in a
// child process (scripts/run-handler.ts; only the environment points it at the sandbox), and prints the world,
// the report, what the handler published, and whether every planted problem was found.
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CHECK_IDS } from '../src/model/finding.ts';
import { renderTable } from '../src/report/table.ts';
import type { Report } from '../src/report/types.ts';
import { compareFindings, describeDifferences } from '../test/e2e/support/expected-findings.ts';
import { type Sandbox, startSandbox } from '../test/sandbox/server.ts';
import type { SnsMessage } from '../test/sandbox/services/types.ts';
import { loadWorld, type World } from '../test/sandbox/world.ts';
import {
  describeFailure,
  type HandlerRun,
  lambdaEnvironment,
  REPO,
  runHandler,
} from './sandbox-processes.ts';

const DEFAULT_WORLD = 'test/sandbox/worlds/demo.json';
const EVENT = { trigger: 'manual', dryRun: false } as const;

const color = !!process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = paint('1');
const dim = paint('2');
const green = paint('32');
const yellow = paint('33');
const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const { positionals } = parseArgs({ allowPositionals: true });
  const worldPath = positionals[0] ? resolve(positionals[0]) : resolve(REPO, DEFAULT_WORLD);
  const started = Date.now();
  const world = await loadWorld(worldPath);
  printWorld(world, relative(process.cwd(), worldPath) || worldPath);

  const sandbox = await startSandbox(world, { source: worldPath });
  const stopOnSignal = () => {
    void sandbox.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const env = lambdaEnvironment(world);
    out(bold('The audit'));
    out(
      `  The Lambda handler (src/handler.ts) runs in a child process with the event ${JSON.stringify(EVENT)} and`,
    );
    out(
      `  ${Object.entries(env)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ')}`,
    );
    out(`  AWS_ENDPOINT_URL=${sandbox.endpoint}, AUDIT_CONNECT_TO and NODE_EXTRA_CA_CERTS from the sandbox.`);
    const run = await runHandler(sandbox, { event: EVENT, env, timeoutMs: 25_000 });
    if (!run.report) {
      process.stderr.write(`demo: the handler failed: ${describeFailure(run)}\n`);
      return 1;
    }
    out(`  Done in ${(run.ms / 1000).toFixed(1)} s: ${describeTraffic(sandbox)}.`);
    out();
    out(renderTable(run.report, { color, width: process.stdout.columns ?? 120 }).trimEnd());
    out();
    printPublished(sandbox, run);
    out();
    printDigest(sandbox.published.sns);
    printVerdict(world, run.report);
    out();
    printNextSteps();
    out(dim(`(demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s)`));
    return 0;
  } finally {
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
    await sandbox.stop();
  }
}

function printWorld(world: World, path: string): void {
  out(bold('eks-oidc-auditor demo'));
  out(
    'A whole audit by the real Lambda handler and AWS SDK clients, against a local AWS sandbox that speaks',
  );
  out("AWS's wire protocols and serves each cluster's OIDC issuer over TLS. No AWS account is used, nothing");
  out('leaves this machine.');
  out();
  const regions = new Set(world.accounts.flatMap((account) => account.regions ?? []));
  const clusters = world.accounts.flatMap((account) => account.clusters);
  out(
    bold(`The world (${path})`) +
      `: ${world.accounts.length} accounts, ${regions.size} regions, ${clusters.length} clusters, ` +
      `${count(world.accounts, 'oidcProviders')} OIDC providers, ${count(world.accounts, 'roles')} roles`,
  );
  if (world.description) out(`  ${world.description}`);
  const nameWidth = Math.max(...world.accounts.map((account) => (account.name ?? '').length));
  for (const account of world.accounts) {
    const disabled = new Set(world.faults.disabledRegions[account.id] ?? []);
    const byRegion = (account.regions ?? [...new Set(account.clusters.map((c) => c.region))]).map(
      (region) => {
        const names = account.clusters.filter((c) => c.region === region).map((c) => c.name);
        if (disabled.has(region)) return `${region} (disabled)`;
        return names.length > 0 ? `${region}: ${names.join(', ')}` : `${region}: no clusters`;
      },
    );
    const role = [
      world.organization?.managementAccount === account.id ? 'management' : undefined,
      account.caller ? 'the audit runs here' : undefined,
    ].filter((part) => part !== undefined);
    out(
      `  ${account.id} ${(account.name ?? '').padEnd(nameWidth)}  ${byRegion.join(' · ')}` +
        (role.length > 0 ? dim(`  (${role.join('; ')})`) : ''),
    );
  }

  const planted = plantedProblems(world);
  const healthy = world.accounts
    .filter((account) => !account.denyAssumeRole)
    .flatMap((account) => account.clusters.filter((c) => !c.tags?.planted).map((c) => c.name));
  out();
  out(
    bold(`Planted problems (${planted.length})`) +
      (healthy.length > 0
        ? `; the healthy clusters ${healthy.join(' and ')} and their recommended roles should stay quiet:`
        : ':'),
  );
  const whereWidth = Math.max(...planted.map(([where]) => where.length));
  for (const [where, what] of planted) out(`  ${where.padEnd(whereWidth)}  ${what}`);
  out();
}

function count(accounts: World['accounts'], field: 'oidcProviders' | 'roles'): number {
  return accounts.reduce((sum, account) => sum + account[field].length, 0);
}

/** The world documents what it plants: `planted` tags on clusters and providers, `planted:` role descriptions. */
function plantedProblems(world: World): [string, string][] {
  const problems: [string, string][] = [];
  for (const account of world.accounts) {
    const name = account.name ?? account.id;
    if (account.denyAssumeRole) problems.push([name, 'the audit role refuses sts:AssumeRole (AccessDenied)']);
    for (const region of world.faults.disabledRegions[account.id] ?? [])
      problems.push([`${name} ${region}`, 'the region is disabled for the account']);
    for (const cluster of account.clusters) {
      if (cluster.tags?.planted) problems.push([`${name} cluster ${cluster.name}`, cluster.tags.planted]);
      for (const association of cluster.podIdentityAssociations)
        if (association.planted)
          problems.push([
            `${name} cluster ${cluster.name} ${association.namespace}/${association.serviceAccount}`,
            association.planted,
          ]);
      // Its Kubernetes side (read with --kubernetes): service accounts and pods.
      for (const item of [
        ...(cluster.kubernetes?.serviceAccounts ?? []),
        ...(cluster.kubernetes?.pods ?? []),
      ])
        if (item.planted)
          problems.push([`${name} cluster ${cluster.name} ${item.namespace}/${item.name}`, item.planted]);
    }
    for (const provider of account.oidcProviders) {
      if (provider.tags?.planted) {
        const id = provider.url.split('/').at(-1) ?? provider.url;
        problems.push([`${name} provider …/${id.slice(0, 8)}…`, provider.tags.planted]);
      }
    }
    for (const role of account.roles) {
      const description = role.description ?? '';
      if (description.startsWith('planted:'))
        problems.push([`${name} role ${role.name}`, description.slice('planted:'.length).trim()]);
    }
  }
  return problems;
}

function describeTraffic(sandbox: Sandbox): string {
  const hosts = (sandbox.issuers?.connectTo ?? []).map((mapping) => mapping.split(':')[0] ?? mapping);
  const connections = hosts.reduce((sum, host) => sum + (sandbox.issuers?.connections(host) ?? 0), 0);
  const kubernetes = sandbox.kubernetes?.requests();
  return (
    `${sandbox.log.calls()} AWS API calls, ${hosts.length} issuer hosts probed over ` +
    `${connections} TLS connection${connections === 1 ? '' : 's'}` +
    (kubernetes === undefined ? '' : `, ${kubernetes} Kubernetes API requests`)
  );
}

function printPublished(sandbox: Sandbox, run: HandlerRun): void {
  const { sns, metrics } = sandbox.published;
  out(bold('Published'));
  if (sns.length === 0 && metrics.length === 0) {
    out('  Nothing: the handler sent no SNS alert and no CloudWatch metric data.');
    for (const line of run.logs.filter((log) => log.level === 'WARN' || log.level === 'ERROR'))
      out(`  handler ${line.level.toLowerCase()}: ${line.message}`);
    return;
  }
  const byTopic = Map.groupBy(sns, (message: SnsMessage) => message.topicArn);
  for (const [topic, messages] of byTopic) {
    out(`  SNS ${topic}: ${messages.length} message${messages.length === 1 ? '' : 's'}`);
    for (const message of messages.slice(0, 8)) out(`    ${message.subject ?? firstLine(message.message)}`);
    if (messages.length > 8) out(`    … and ${messages.length - 8} more`);
  }
  const byNamespace = Map.groupBy(metrics, (batch) => batch.namespace);
  for (const [namespace, batches] of byNamespace) {
    const data = batches.flatMap((batch) => batch.metricData);
    const names = [...new Set(data.map((datum) => String(datum.MetricName)))].sort();
    out(
      `  CloudWatch ${namespace}: ${data.length} data point${data.length === 1 ? '' : 's'} in ` +
        `${batches.length} PutMetricData call${batches.length === 1 ? '' : 's'} (${names.join(', ')})`,
    );
  }
}

/**
 * The alert digest as the security team's mailbox shows it: the email text of each SNS message (MessageStructure
 * json), its head, first finding and footer; every other finding reads like the first, and the table above
 * already lists them all, so printing each again would bury the verdict below hundreds of lines.
 */
function printDigest(messages: readonly SnsMessage[]): void {
  for (const message of messages) {
    const email = emailOf(message);
    if (email === undefined) continue;
    out(bold('The alert digest, as email subscribers get it'));
    for (const line of digestExcerpt(email)) out(line === '' ? '' : `  ${line}`);
    out();
  }
}

function digestExcerpt(email: string): string[] {
  const lines = email.trimEnd().split('\n');
  const findings = lines.flatMap((line, index) => (/^\s+\* /.test(line) ? [index] : []));
  const footer = lines.indexOf('--');
  const [first = -1] = findings;
  // The first finding ends where a line is indented as a heading or a finding again.
  const indent = (line: string) => line.length - line.trimStart().length;
  const depth = indent(lines[first] ?? '');
  const end = lines.findIndex((line, index) => index > first && line.trim() !== '' && indent(line) <= depth);
  if (findings.length < 2 || footer === -1 || end === -1) return lines;
  return [
    ...lines.slice(0, end),
    `      … ${findings.length - 1} more finding(s) in the same form, as the table above lists them`,
    '',
    ...lines.slice(footer),
  ];
}

function emailOf(message: SnsMessage): string | undefined {
  if (message.messageStructure !== 'json') return message.message;
  try {
    const email = (JSON.parse(message.message) as { email?: unknown }).email;
    return typeof email === 'string' ? email : undefined;
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

function printVerdict(world: World, report: Report): void {
  const fired = new Set(report.findings.map((finding) => finding.check));
  const silent = CHECK_IDS.filter((id) => !fired.has(id));
  const comparison = compareFindings(report.findings, world.expectedFindings);
  const differences = describeDifferences(comparison);
  if (world.expectedFindings.length > 0) {
    if (differences === '') {
      out(
        green('✓') +
          ` All ${world.expectedFindings.length} planted problems were reported, and nothing else` +
          (silent.length === 0 ? `: every one of the ${CHECK_IDS.length} checks fired.` : '.'),
      );
    } else {
      out(`${yellow('!')} The report differs from what the world plants:`);
      for (const line of differences.split('\n')) out(`  ${line}`);
    }
  }
  if (silent.length > 0) out(`${yellow('!')} Checks that did not fire: ${silent.join(', ')}`);
  const quiet = report.clusters.filter(
    (cluster) => !report.findings.some((finding) => finding.cluster === cluster.name),
  );
  if (quiet.length > 0) {
    out(
      `  No finding names cluster${quiet.length === 1 ? '' : 's'} ` +
        `${quiet.map((cluster) => `${cluster.name} (${cluster.accountId}, ${cluster.region})`).join(' or ')}.`,
    );
  }
}

function printNextSteps(): void {
  out(bold('On a real account'));
  out(
    '  AWS_PROFILE=<profile> npm run audit -- --regions all          # read-only; your usual AWS credentials',
  );
  out(
    '  npm run audit -- --accounts org --role-name OIDCAuditRole     # a whole organization, from its management account',
  );
  out('  README.md: the permissions it needs, the Lambda and its schedule (npx serverless deploy).');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`demo: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
