import { type AuditDeps, type AuditResult, collectAudit, judgeAudit, runAudit } from './audit.ts';
import type { AuditConfig } from './config/schema.ts';
import type { InventoryPart, NamedPart, PartFile } from './inventory/part.ts';
import type { FailedShard, PartsOf } from './inventory/part-merge.ts';
import { type PublishDeps, type PublishOutcome, publishReport } from './publish/index.ts';
import type { Report } from './report/types.ts';

export interface PipelineEdges {
  audit: AuditDeps;
  /** Built only when publishing; the audit's coverage memory is added to it. */
  publish: () => PublishDeps;
}

export interface PipelineHooks {
  /** After the report, before publishing: the CLI prints it here, so a publish failure cannot cost it. */
  onReport?: (report: Report) => Promise<void> | void;
}

export interface PipelineResult {
  report: Report;
  /** Undefined when publishing is off (a dry run, the CLI without --publish). */
  published?: PublishOutcome;
}

/**
 * The one flow both entry points run: config → scope → inventory → checks → report (runAudit), then publish.
 * Publishing failures throw PublishError after everything that could be sent was (src/publish/index.ts).
 */
export async function runPipeline(
  config: AuditConfig,
  edges: PipelineEdges,
  hooks: PipelineHooks = {},
): Promise<PipelineResult> {
  return finish(config, await runAudit(config, edges.audit), edges, hooks);
}

/**
 * One shard of a split audit (`config.shard`, docs/fan-out.md): config → scope → inventory for its accounts,
 * written to `partPath` for the merge step, with the fan-out run's id when it is one. No checks, no report,
 * nothing published.
 */
export async function runShard(
  config: AuditConfig,
  audit: AuditDeps,
  partPath: string,
  run: { runId?: string } = {},
): Promise<InventoryPart> {
  if (!config.shard) throw new Error('runShard needs config.shard');
  const collected = await collectAudit(config, audit);
  // Loaded here, not with the handler: only shards and merges read or write parts (cold start, docs/performance.md).
  const { writePart } = await import('./inventory/part.ts');
  const { split, ...scope } = collected.scope;
  if (!split) throw new Error('runShard: the scope of a shard names its split (src/scope/resolve.ts)');
  const part: InventoryPart = {
    ...(run.runId === undefined ? {} : { runId: run.runId }),
    split,
    shard: config.shard,
    startedAt: collected.startedAt.toISOString(),
    auditor: collected.auditor,
    scope,
    inventory: collected.inventory,
  };
  await writePart(part, partPath);
  return part;
}

/**
 * The merge step of a split audit: every shard's part, read in order, each checked against the run and split
 * `shards.of` names (the plan's; without one, the first part's), and joined, then facts → checks → report →
 * publish exactly as one run over every account would.
 */
export async function runMerge(
  config: AuditConfig,
  shards: { parts: readonly PartFile[]; failed?: readonly FailedShard[]; of?: PartsOf },
  edges: PipelineEdges,
  hooks: PipelineHooks = {},
): Promise<PipelineResult> {
  const suppressions = await edges.audit.loadSuppressions?.();
  const [{ readParts }, { checkPart, mergeParts }] = await Promise.all([
    import('./inventory/part.ts'),
    import('./inventory/part-merge.ts'),
  ]);
  const parts: NamedPart[] = [];
  let of = shards.of;
  for await (const named of readParts(shards.parts)) {
    const { runId, split } = named.part;
    of ??= { ...(runId === undefined ? {} : { runId }), split };
    checkPart(named, of);
    parts.push(named);
  }
  if (!of) throw new Error('no parts to merge: every shard failed');
  const merged = mergeParts(parts, shards.failed ?? [], of);
  parts.length = 0;
  const result = await judgeAudit(config, { ...merged, startedAt: new Date(merged.startedAt) }, edges.audit, {
    suppressions,
  });
  return finish(config, result, edges, hooks);
}

async function finish(
  config: AuditConfig,
  { report, coverage, auditor }: AuditResult,
  edges: PipelineEdges,
  hooks: PipelineHooks,
): Promise<PipelineResult> {
  await hooks.onReport?.(report);
  if (!config.publish) return { report };
  const published = await publishReport(report, config, {
    ...edges.publish(),
    auditor,
    ...(coverage ? { coverage } : {}),
  });
  return { report, published };
}
