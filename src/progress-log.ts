import type { AuditProgress, AuditStage } from './audit.ts';

export interface ProgressLine extends AuditProgress {
  /** Milliseconds since the first progress report of the run. */
  elapsedMs: number;
}

/**
 * Progress for places without a redrawn bar (the Lambda's log, a CLI whose stderr is not a terminal). Nothing
 * for the first `intervalMs`, so a short audit stays quiet; after that a line when a stage starts and at most
 * one every `intervalMs`, so a long one shows it is alive without flooding the log.
 */
export function periodicProgress(
  emit: (line: ProgressLine) => void,
  options: { intervalMs?: number; now?: () => number } = {},
): (progress: AuditProgress) => void {
  const intervalMs = options.intervalMs ?? 30_000;
  const now = options.now ?? Date.now;
  let started: number | undefined;
  let lastAt = 0;
  let lastStage: AuditStage | undefined;
  return (progress) => {
    const at = now();
    started ??= at;
    if (at - started < intervalMs) return;
    if (progress.stage === lastStage && at - lastAt < intervalMs) return;
    lastStage = progress.stage;
    lastAt = at;
    emit({ ...progress, elapsedMs: at - started });
  };
}

/** `inventory 1200/3400 (35%) after 2m05s` */
export function describeProgress({ stage, done, total, elapsedMs }: ProgressLine): string {
  const percent = total > 0 ? ` (${Math.floor((100 * Math.min(done, total)) / total)}%)` : '';
  const seconds = Math.round(elapsedMs / 1000);
  const elapsed =
    seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
  return `${stage} ${done}/${total}${percent} after ${elapsed}`;
}
