import pLimit from 'p-limit';
import { runChecks } from './checks/index.ts';
import type { AwsClients, CallLimiter } from './clients/aws.ts';
import type { AuditConfig } from './config/schema.ts';
import { collectInventory } from './inventory/collect.ts';
import type { IssuerProber } from './inventory/probe.ts';
import type { Inventory } from './inventory/types.ts';
import { buildReport } from './report/build.ts';
import type { Report } from './report/types.ts';
import { whoAmI } from './scope/caller.ts';
import { resolveScope } from './scope/resolve.ts';

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
  /** Aborted = stop starting new work (the Lambda's time budget); what was not reached is reported. */
  signal?: AbortSignal;
  onProgress?: (progress: AuditProgress) => void;
}

export interface AuditResult {
  report: Report;
  inventory: Inventory;
}

/** The one orchestration: config → scope → inventory → checks → report. */
export async function runAudit(config: AuditConfig, deps: AuditDeps): Promise<AuditResult> {
  const startedAt = deps.now();
  const limit = pLimit(config.concurrency);
  const call: CallLimiter = (fn) => limit(fn);
  const progress = (stage: AuditStage) => (done: number, total: number) =>
    deps.onProgress?.({ stage, done, total });

  const caller = await whoAmI(deps.clients, deps.homeRegion);
  const scope = await resolveScope(config, {
    clients: deps.clients,
    caller,
    homeRegion: deps.homeRegion,
    startedAt,
    call,
    signal: deps.signal,
    onAccount: progress('scope'),
  });
  const inventory = await collectInventory(scope, {
    clients: deps.clients,
    prober: deps.prober,
    call,
    signal: deps.signal,
    onProgress: (stage, done, total) => deps.onProgress?.({ stage, done, total }),
  });
  const checkedAt = deps.now();
  const findings = runChecks(inventory, { now: checkedAt, caWarnDays: config.caWarnDays });
  deps.onProgress?.({ stage: 'checks', done: 1, total: 1 });
  const report = buildReport(config, scope, inventory, findings, { startedAt, finishedAt: deps.now() });
  return { report, inventory };
}
