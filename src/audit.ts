import { runChecks } from './checks/index.ts';
import type { CheckContext } from './checks/types.ts';
import type { AwsClients } from './clients/aws.ts';
import { createCallLanes } from './clients/limit.ts';
import type { AuditConfig } from './config/schema.ts';
import type { Suppressions } from './config/suppressions.ts';
import { deriveFacts } from './facts/index.ts';
import { createInventoryCollector } from './inventory/collect.ts';
import type { IssuerProber } from './inventory/issuer-probe.ts';
import type { Finding } from './model/finding.ts';
import type { Inventory } from './model/inventory.ts';
import type { AuditedBefore, CoverageMemory } from './publish/coverage-memory.ts';
import { buildReport, type ReportFacts } from './report/build.ts';
import { muteFindings } from './report/mute.ts';
import type { Report } from './report/types.ts';
import type { HeapPolicy } from './runtime/heap.ts';
import { whoAmI } from './scope/caller.ts';
import { resolveScope } from './scope/resolve.ts';
import type { AccountsInScope, AccountTarget, Scope } from './scope/types.ts';

export type AuditStage = 'scope' | 'inventory' | 'probe' | 'checks';

export interface AuditProgress {
  stage: AuditStage;
  done: number;
  total: number;
}

/** Everything runAudit touches outside itself: replaceable in tests. */
export interface AuditDeps {
  clients: AwsClients;
  prober: IssuerProber;
  now: () => Date;
  /** Region for STS and other regional calls that are not about a region being audited. */
  homeRegion: string;
  /** The named profile the credentials come from (--profile or AWS_PROFILE), for the messages that name it. */
  profile?: string;
  /** Aborted = stop starting new work (the Lambda's time budget); what was not reached is reported. */
  signal?: AbortSignal;
  onProgress?: (progress: AuditProgress) => void;
  /** What earlier runs saw (the alert state table); absent when none is configured. */
  coverageMemory?: CoverageMemory;
  /** The accepted risks; absent when none are configured. Throws a ConfigError, and nothing runs, when unusable. */
  loadSuppressions?: () => Promise<Suppressions>;
  /** The garbage collector's setting for the reads and for what follows them; absent in tests. */
  heap?: HeapPolicy;
  /** A fan-out shard's accounts as its plan listed them (src/scope/resolve.ts): the organization is not listed. */
  planned?: AccountsInScope;
}

export interface AuditResult {
  report: Report;
  /** The account and partition the audit ran as: where Security Hub findings are imported. */
  auditor: { accountId: string; partition: string };
  /** For the publish step, which records what this run saw on top of it. */
  coverage?: { memory: CoverageMemory; before: AuditedBefore };
}

/** What the reads of an audit (or of one shard of it) produced: the input of the facts step. */
export interface Collected {
  scope: Scope;
  inventory: Inventory;
  startedAt: Date;
  /** The account and partition the audit ran as. */
  auditor: { accountId: string; partition: string };
}

/** The audit: config → scope → inventory → facts → checks → report. */
export async function runAudit(config: AuditConfig, deps: AuditDeps): Promise<AuditResult> {
  const suppressions = await deps.loadSuppressions?.();
  // Read while the inventory goes on. Unreadable, it only costs the lost-access escalation of this run: the
  // publish step, which writes to the same table, then fails loudly.
  const before = auditedBefore(deps.coverageMemory);
  const collected = await collectAudit(config, deps);
  return judgeAudit(config, collected, deps, { suppressions, before });
}

/**
 * The audit's reads: scope and inventory, overlapped (each account's inventory starts as soon as its credentials
 * and regions are known). With `config.shard`, only that shard's accounts (src/scope/resolve.ts).
 */
export async function collectAudit(config: AuditConfig, deps: AuditDeps): Promise<Collected> {
  deps.heap?.reading();
  try {
    return await readAws(config, deps);
  } finally {
    deps.heap?.judging();
  }
}

async function readAws(config: AuditConfig, deps: AuditDeps): Promise<Collected> {
  const startedAt = deps.now();
  const calls = createCallLanes(config.concurrency, deps.signal);
  const progress = (stage: AuditStage) => (done: number, total: number) =>
    deps.onProgress?.({ stage, done, total });
  const caller = await whoAmI(deps.clients, deps.homeRegion, deps.profile);
  let accountsExpected = 0;
  const collector = createInventoryCollector(
    {
      clients: deps.clients,
      prober: deps.prober,
      calls,
      signal: deps.signal,
      onProgress: (stage, done, total) => deps.onProgress?.({ stage, done, total }),
      ...(config.kubernetes
        ? {
            kubernetes: {
              connectTo: config.connectTo,
              connectTimeoutMs: config.awsConnectTimeoutMs,
              requestTimeoutMs: config.awsRequestTimeoutMs,
              // A cluster in its slot has one request at a time in flight: fewer slots than calls in flight
              // would make the clusters, not the sockets, what bounds the run (docs/performance.md).
              clustersAtOnce: config.concurrency,
              principal: (target: AccountTarget) =>
                target.credentials === undefined
                  ? roleArnOf(caller.arn)
                  : `arn:${target.partition}:iam::${target.accountId}:role/${config.roleName}`,
            },
          }
        : {}),
    },
    () => accountsExpected,
  );
  let scope: Scope;
  try {
    scope = await resolveScope(
      config,
      {
        clients: deps.clients,
        caller,
        homeRegion: deps.homeRegion,
        startedAt,
        calls,
        signal: deps.signal,
        accountsInFlight: Math.ceil(config.concurrency / 2),
        ...(deps.planned ? { planned: deps.planned } : {}),
        onAccount: (done, total) => {
          accountsExpected = total;
          progress('scope')(done, total);
        },
      },
      (target) => collector.collectAccount(target),
    );
  } catch (error) {
    // The issuer probes opened during the inventory hold connections that would keep the process alive.
    await collector.abandon();
    throw error;
  }
  const inventory = await collector.finish(scope);
  return {
    scope,
    inventory,
    startedAt,
    auditor: { accountId: caller.accountId, partition: caller.partition },
  };
}

/**
 * The IAM ARN an access entry names for a caller: a role for an assumed-role session
 * (`arn:aws:sts::1:assumed-role/R/s` → `arn:aws:iam::1:role/R`), else the ARN as it is.
 */
function roleArnOf(callerArn: string): string {
  const match = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : callerArn;
}

function auditedBefore(memory: CoverageMemory | undefined): Promise<AuditedBefore> {
  return memory
    ? memory.load().catch(() => new Map<string, string>())
    : Promise.resolve(new Map<string, string>());
}

/**
 * The audit's judgement over what was read, whole or merged from shards: facts → checks → accepted risks →
 * report. Pure but for the clock and the progress callback.
 */
export async function judgeAudit(
  config: AuditConfig,
  collected: Collected,
  deps: Pick<AuditDeps, 'now' | 'onProgress' | 'coverageMemory'>,
  earlier: { suppressions: Suppressions | undefined; before?: Promise<AuditedBefore> },
): Promise<AuditResult> {
  const { scope, inventory, startedAt } = collected;
  const memory = deps.coverageMemory;
  const checkedAt = deps.now();
  const before = await (earlier.before ?? auditedBefore(memory));
  const { checked, reportFacts } = checkInventory(inventory, {
    now: checkedAt,
    caWarnDays: config.caWarnDays,
    auditedBefore: before,
    organization: {
      names: scope.accountNames,
      ouPaths: scope.ouPaths,
      ...(scope.ouPathsError ? { ouPathsError: scope.ouPathsError } : {}),
    },
  });
  deps.onProgress?.({ stage: 'checks', done: 1, total: 1 });
  // Accepted risks, once the checks have said everything: muted, not dropped (src/report/mute.ts).
  const findings = muteFindings(checked, earlier.suppressions, checkedAt);
  const report = buildReport(config, scope, reportFacts, findings, { startedAt, finishedAt: deps.now() });
  return {
    report,
    auditor: collected.auditor,
    ...(memory ? { coverage: { memory, before } } : {}),
  };
}

/**
 * Facts and checks, in a frame of their own: the lookup and the trust analyses, most of the facts' memory, serve
 * the checks only, and are let go before the report is built rather than
 * held with it (docs/performance.md, "The merge").
 */
function checkInventory(
  inventory: Inventory,
  context: CheckContext,
): { checked: Finding[]; reportFacts: ReportFacts } {
  const facts = deriveFacts(inventory);
  const checked = runChecks(facts, context);
  return { checked, reportFacts: { inventory: facts.inventory, assumableRoles: facts.assumableRoles } };
}
