import { once } from 'node:events';
import { accessSync, constants, createWriteStream, type Stats, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type { Writable } from 'node:stream';
import type { Report } from './types.ts';

const CHUNK_CHARS = 64 * 1024;

/**
 * The text of `JSON.stringify(value, null, pretty ? 2 : undefined)`, a top-level array element at a time.
 * An organization's report runs to over a hundred megabytes: one string of it (plus the copies JSON.stringify
 * makes on the way) was the largest single allocation of a run, so nothing here ever holds it whole.
 */
export function* jsonChunks(value: Record<string, unknown>, pretty: boolean): Generator<string> {
  const [open, close, colon] = pretty ? ['\n  ', '\n', ': '] : ['', '', ':'];
  const [itemOpen, itemClose] = pretty ? ['\n    ', '\n  '] : ['', ''];
  const stringify = (item: unknown, depth: string) =>
    pretty ? indent(JSON.stringify(item, null, 2), depth) : JSON.stringify(item);
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  yield '{';
  for (const [index, [key, v]] of entries.entries()) {
    yield `${index === 0 ? '' : ','}${open}${JSON.stringify(key)}${colon}`;
    if (Array.isArray(v) && v.length > 0) {
      yield '[';
      // JSON.stringify turns undefined (and functions) in arrays into null; so does this.
      for (const [i, item] of v.entries())
        yield `${i === 0 ? '' : ','}${itemOpen}${stringify(item, '    ') ?? 'null'}`;
      yield `${itemClose}]`;
    } else {
      yield stringify(v, '  ') ?? 'null';
    }
  }
  yield entries.length > 0 ? `${close}}` : '}';
}

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
  let pending = '';
  for (const chunk of jsonChunks({ ...report }, true)) {
    pending += chunk;
    if (pending.length < CHUNK_CHARS) continue;
    const full = pending;
    pending = '';
    if (!out.write(full)) await drained(out);
  }
  await new Promise<void>((resolve, reject) =>
    out.write(`${pending}\n`, (error) => (error ? reject(error) : resolve())),
  );
}

/** The same JSON into a file, created or replaced; rejects with the file's error (ENOENT, EACCES, ENOSPC). */
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

export async function writeReportFile(report: Report, path: string): Promise<void> {
  const file = createWriteStream(path);
  try {
    await once(file, 'open');
    await writeReportJson(report, file);
    file.end();
    await once(file, 'close');
  } finally {
    file.destroy();
  }
}

// Safe on JSON text: a newline inside a JSON string is always escaped, so every raw newline is layout.
function indent(text: string | undefined, by: string): string | undefined {
  return text?.replaceAll('\n', `\n${by}`);
}

async function drained(out: Writable): Promise<void> {
  // once() rejects if the stream emits 'error' meanwhile, so a failed stream does not hang the writer.
  await once(out, 'drain');
}
