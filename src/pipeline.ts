import { type AuditDeps, runAudit } from './audit.ts';
import type { AuditConfig } from './config/schema.ts';
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
  const { report, coverage, auditor } = await runAudit(config, edges.audit);
  await hooks.onReport?.(report);
  if (!config.publish) return { report };
  const published = await publishReport(report, config, {
    ...edges.publish(),
    auditor,
    ...(coverage ? { coverage } : {}),
  });
  return { report, published };
}
