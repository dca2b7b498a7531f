// The figures the README, docs/ and serverless.yml quote about a run of 1,000 accounts come from one measurement:
// the last row of the README's benchmark table. Each quote is derived from that row here, so a new measurement
// that leaves an old figure somewhere fails this test instead of leaving two numbers that disagree.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const README = read('README.md');
const QUOTING = [
  'README.md',
  'serverless.yml',
  ...readdirSync(join(ROOT, 'docs')).map((name) => `docs/${name}`),
];

const number = (text: string) => Number(text.replaceAll(',', ''));

/** The README's `| 1,000 | now | calls (minimum) | throttled | bound | wall | CPU per call | peak RSS |` row. */
function currentRun(): { calls: number; wallSeconds: number; cpuMsPerCall: number } {
  const row =
    /^\| 1,000 \| now[^|]* \| ([\d,]+) \([\d,]+\) \| \d+ \| [\d.]+ s \| ([\d.]+) s \| ([\d.]+) ms \| \d+ MiB \|$/m.exec(
      README,
    );
  if (!row) throw new Error('README.md has no "| 1,000 | now |" row in its benchmark table');
  return { calls: number(row[1] as string), wallSeconds: Number(row[2]), cpuMsPerCall: Number(row[3]) };
}

describe('the figures of a 1,000-account run', () => {
  const run = currentRun();
  // Quoted to the nearest 10 s: the machine's load moves a run more than that (docs/performance.md).
  const cpuSeconds = Math.round((run.calls * run.cpuMsPerCall) / 1000 / 10) * 10;

  it('quotes one CPU figure everywhere, the one the benchmark table measures', () => {
    // Act
    const quotes = QUOTING.flatMap((path) =>
      [...read(path).matchAll(/about (\d+) s of CPU/g)].map((match) => ({ path, seconds: Number(match[1]) })),
    );

    // Assess: the README's memorySize row and Performance, serverless.yml twice, docs/fan-out.md
    expect(quotes.length).toBeGreaterThanOrEqual(5);
    expect(quotes.filter((quote) => quote.seconds !== cpuSeconds)).toEqual([]);
  });

  it("prices the Lambda's run at the measured wall time and the default memory", () => {
    // Prepare
    const memoryMb = (yaml.load(read('serverless.yml')) as { params: { default: { memorySize: number } } })
      .params.default.memorySize;
    const gbSeconds = Math.round((memoryMb / 1024) * run.wallSeconds);

    // Act
    const quoted = /a 1,000-account run of ~(\d+) s ≈ (\d+) GB-s/.exec(README);

    // Assess
    expect(quoted?.slice(1).map(Number)).toEqual([Math.round(run.wallSeconds), gbSeconds]);
  });
});
