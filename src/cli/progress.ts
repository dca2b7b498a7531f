import type { AuditProgress, AuditStage } from '../audit.ts';
import { describeProgress, periodicProgress } from '../progress-log.ts';

const LABELS: Record<AuditStage, string> = {
  scope: 'accounts',
  inventory: 'inventory',
  probe: 'issuers',
  checks: 'checks',
};

export interface ProgressView {
  update(progress: AuditProgress): void;
  done(): void;
}

/**
 * A one-line bar redrawn in place on a terminal; elsewhere (CI logs, pipes) nothing for a short audit, and a
 * plain line every 30 s or so for a long one.
 */
export function progressView(stream: NodeJS.WriteStream): ProgressView {
  if (!stream.isTTY) {
    const update = periodicProgress((line) => stream.write(`progress: ${describeProgress(line)}\n`));
    return { update, done: () => {} };
  }
  let lastDraw = 0;
  let drawn = false;
  const draw = ({ stage, done, total }: AuditProgress) => {
    const width = 24;
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(ratio * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    stream.write(`\r\x1b[2K${LABELS[stage].padEnd(10)} ${bar} ${done}/${total}`);
    drawn = true;
  };
  return {
    update(progress) {
      const now = Date.now();
      // Redrawing on every call would cost more than the audit on large organizations.
      if (progress.done === progress.total || now - lastDraw > 80) {
        lastDraw = now;
        draw(progress);
      }
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
