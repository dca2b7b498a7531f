import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReportFile } from '../../src/report/formats.ts';
import { compactJsonBytes, writeReportJson } from '../../src/report/json.ts';
import type { Report } from '../../src/report/types.ts';
import { aFinding, aReport } from '../publish/support.ts';

async function written(report: Report, highWaterMark = 16 * 1024): Promise<string> {
  const out = new PassThrough({ highWaterMark });
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeReportJson(report, out);
  return Buffer.concat(chunks).toString('utf8');
}

describe('writeReportJson', () => {
  it.each([
    ['an empty report', aReport()],
    ['a report with findings, errors and nested evidence', reportWithContent(3)],
    ['a report larger than the stream buffers', reportWithContent(2000)],
  ])('writes exactly what JSON.stringify(report, null, 2) gives, for %s', async (_name, report) => {
    // Act
    const text = await written(report);

    // Assess
    expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });

  it('counts the UTF-8 bytes of the compact JSON, non-ASCII text included', () => {
    // Prepare
    const report = reportWithContent(20);
    report.findings[0] = {
      ...report.findings[0],
      message: 'Rôle « ünïcode » 🔑',
    } as Report['findings'][number];

    // Act
    const bytes = compactJsonBytes({ ...report });

    // Assess
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify(report)));
  });

  it('waits for a slow reader instead of buffering everything', async () => {
    // Prepare: a sink that takes one chunk at a time, slowly, and records how much waited in its buffer
    const report = reportWithContent(2000);
    let maxBuffered = 0;
    let received = 0;
    const out = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        setTimeout(done, 1);
      },
    });
    const sample = setInterval(() => {
      maxBuffered = Math.max(maxBuffered, out.writableLength);
    }, 0);

    // Act
    await writeReportJson(report, out);
    await new Promise<void>((resolve) => out.end(resolve));
    clearInterval(sample);

    // Assess: all of it arrived, and never more than a chunk beyond the buffer waited at once
    expect(received).toBe(Buffer.byteLength(`${JSON.stringify(report, null, 2)}\n`));
    expect(maxBuffered).toBeLessThanOrEqual(64 * 1024 + 70 * 1024);
  });

  it('rejects when the stream fails instead of waiting for it forever', async () => {
    // Prepare
    const out = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, done) {
        done(new Error('EPIPE: the reader went away'));
      },
    });
    out.on('error', () => {});

    // Act
    const writing = writeReportJson(reportWithContent(2000), out);

    // Assess
    await expect(writing).rejects.toThrow('EPIPE');
  });
});

describe('writeReportFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eks-oidc-report-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['an empty report', aReport()],
    ['a report of many megabytes, written in several chunks', reportWithContent(12_000)],
  ])('writes exactly what JSON.stringify(report, null, 2) gives, for %s', async (_name, report) => {
    // Prepare
    const path = join(dir, 'report.json');

    // Act
    await writeReportFile(report, path);

    // Assess
    expect(await readFile(path, 'utf8')).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });

  it('replaces a longer file that was there, leaving none of its tail', async () => {
    // Prepare
    const path = join(dir, 'replaced.json');
    await writeFile(path, 'x'.repeat(1_000_000));

    // Act
    await writeReportFile(aReport(), path);

    // Assess
    expect(await readFile(path, 'utf8')).toBe(`${JSON.stringify(aReport(), null, 2)}\n`);
  });

  it('rejects with the file system error, naming the path', async () => {
    // Act
    const writing = writeReportFile(aReport(), join(dir, 'no-such-dir', 'report.json'));

    // Assess
    await expect(writing).rejects.toThrow(/ENOENT.*no-such-dir/);
  });
});

function reportWithContent(findings: number): Report {
  return aReport({
    findings: Array.from({ length: findings }, (_, i) =>
      aFinding(`app-${i}`, {
        message: `Role app-${i} says "quoted"\nand a line break`,
        evidence: { expected: ['sts.amazonaws.com'], found: { nested: [i, null, true] } },
      }),
    ),
    errors: [
      {
        accountId: '111122223333',
        region: 'eu-west-1',
        stage: 'eks',
        code: 'AccessDenied',
        message: 'denied',
      },
    ],
  });
}
