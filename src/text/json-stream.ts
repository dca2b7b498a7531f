// JSON written a top-level array element at a time: the report of an organization, and an audit's inventory part,
// run to over a hundred megabytes, and one string of them (plus the copies JSON.stringify makes on the way) was
// the largest single allocation of a run.

import type { Writable } from 'node:stream';
import { writeChunks } from './chunked-output.ts';

/** The text of `JSON.stringify(value, null, pretty ? 2 : undefined)`, a top-level array element at a time. */
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

/** The text of `JSON.stringify(value, null, pretty ? 2 : undefined)` and a newline, a chunk at a time. */
export function* jsonLine(value: Record<string, unknown>, pretty: boolean): Generator<string> {
  yield* jsonChunks(value, pretty);
  yield '\n';
}

/**
 * Writes `JSON.stringify(value, null, pretty ? 2 : undefined)` and a newline to `out`, honouring backpressure.
 * Resolves once the last chunk has been handed on; does not end `out`.
 */
export function writeJson(value: Record<string, unknown>, out: Writable, pretty: boolean): Promise<void> {
  return writeChunks(jsonLine(value, pretty), out);
}

// Safe on JSON text: a newline inside a JSON string is always escaped, so every raw newline is layout.
function indent(text: string | undefined, by: string): string | undefined {
  return text?.replaceAll('\n', `\n${by}`);
}
