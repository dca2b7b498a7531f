import { accessSync, constants, type Stats, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type { Writable } from 'node:stream';
import { jsonChunks, writeJson } from '../text/json-stream.ts';
import type { Report } from './types.ts';

/** UTF-8 bytes of the compact JSON of `value`, as the Lambda runtime would send it. */
export function compactJsonBytes(value: Record<string, unknown>): number {
  let bytes = 0;
  for (const chunk of jsonChunks(value, false)) bytes += Buffer.byteLength(chunk);
  return bytes;
}

/**
 * Writes `JSON.stringify(report, null, 2)` and a newline to `out`, byte for byte, honouring backpressure.
 * Resolves once the last chunk has been handed on (so a caller may exit right after); does not end `out`.
 */
export async function writeReportJson(report: Report, out: Writable): Promise<void> {
  await writeJson({ ...report }, out, true);
}

/**
 * Throws, naming the path, unless `path` can be written: its directory exists and is writable, and the file,
 * if it exists, is a writable file. Checked before the audit, so a typo does not cost a whole run's report.
 */
export function assertWritable(path: string): void {
  const fail = (why: string) => {
    throw new Error(`${path}: ${why}`);
  };
  const target = resolvePath(path);
  let existing: Stats | undefined;
  try {
    existing = statSync(target);
  } catch {
    existing = undefined;
  }
  if (existing?.isDirectory()) fail('is a directory');
  try {
    accessSync(existing ? target : dirname(target), constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(
      code === 'ENOENT'
        ? `directory ${dirname(target)} does not exist`
        : `not writable (${code ?? (error as Error).message})`,
    );
  }
}
