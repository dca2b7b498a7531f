import { describe, expect, it } from 'vitest';
import type { AuditProgress } from '../src/audit.ts';
import { describeProgress, type ProgressLine, periodicProgress } from '../src/progress-log.ts';

/** Feeds progress reports at the given seconds and returns the lines emitted. */
function linesFor(reports: [seconds: number, progress: AuditProgress][]): ProgressLine[] {
  let clock = 0;
  const lines: ProgressLine[] = [];
  const report = periodicProgress((line) => lines.push(line), { intervalMs: 30_000, now: () => clock });
  for (const [seconds, progress] of reports) {
    clock = seconds * 1000;
    report(progress);
  }
  return lines;
}

describe('periodicProgress', () => {
  it('stays quiet for an audit shorter than the interval', () => {
    // Act
    const lines = linesFor([
      [0, { stage: 'scope', done: 0, total: 5 }],
      [3, { stage: 'inventory', done: 10, total: 20 }],
      [12, { stage: 'probe', done: 0, total: 4 }],
      [29, { stage: 'checks', done: 1, total: 1 }],
    ]);

    // Assess
    expect(lines).toEqual([]);
  });

  it('then reports a new stage at once and the same stage at most once per interval', () => {
    // Act
    const lines = linesFor([
      [0, { stage: 'scope', done: 0, total: 1000 }],
      [31, { stage: 'scope', done: 400, total: 1000 }],
      [45, { stage: 'scope', done: 600, total: 1000 }],
      [50, { stage: 'inventory', done: 9000, total: 20000 }],
      [70, { stage: 'inventory', done: 12000, total: 20000 }],
      [81, { stage: 'inventory', done: 15000, total: 20000 }],
      [125, { stage: 'checks', done: 1, total: 1 }],
    ]);

    // Assess
    expect(lines.map((line) => [line.stage, line.done, line.elapsedMs / 1000])).toEqual([
      ['scope', 400, 31],
      ['inventory', 9000, 50],
      ['inventory', 15000, 81],
      ['checks', 1, 125],
    ]);
  });
});

describe('describeProgress', () => {
  it.each([
    [
      { stage: 'inventory', done: 1200, total: 3400, elapsedMs: 125_000 },
      'inventory 1200/3400 (35%) after 2m05s',
    ],
    [{ stage: 'scope', done: 3, total: 0, elapsedMs: 31_400 }, 'scope 3/0 after 31s'],
  ] as [ProgressLine, string][])('%o reads %s', (line, text) => {
    // Act & Assess
    expect(describeProgress(line)).toBe(text);
  });
});
