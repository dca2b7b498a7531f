// A gzip file of newline-delimited text read a line at a time as it inflates, with two caps: on the inflated size
// of the whole file, and on one line. A part is written by this tool's shards into a private bucket, but a
// corrupt, foreign or hostile one (a few megabytes inflating to gigabytes) must be refused while it is read,
// holding at most a cap's worth, never inflated whole first.

import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

export interface LineCaps {
  /** Bytes the whole file may inflate to. */
  inflatedBytes: number;
  /** Bytes one line may hold, its newline not counted. */
  lineBytes: number;
}

// Output bytes per round trip between libuv's threads and this one: zlib inflates the next chunk while this thread
// parses the one before, and at zlib's default (16 KiB) each round trip waited on the parsing instead.
const INFLATE_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Calls `onLine` with each line of the gzip file at `path` (1-based line numbers), in order, synchronously within
 * each inflated chunk. Rejects naming the file (as `source`) and the cap as soon as the file inflates past `caps.inflatedBytes`
 * or a line runs past `caps.lineBytes`, and with `onLine`'s error as it is thrown.
 */
export async function readGzipLines(
  { path, source }: { path: string; source: string },
  caps: LineCaps,
  onLine: (text: string, line: number) => void,
): Promise<void> {
  const gunzip = createGunzip({ chunkSize: INFLATE_CHUNK_BYTES });
  const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
  file.on('error', (error) => gunzip.destroy(error));
  file.pipe(gunzip);
  let inflated = 0;
  let line = 0;
  // A line that runs across chunks: its pieces, until its newline comes.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const tooLong = () =>
    new Error(
      `part ${source}: line ${line + 1} runs past ${describeBytes(caps.lineBytes)}, the cap on one line`,
    );
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      if (inflated > caps.inflatedBytes)
        throw new Error(
          `part ${source}: inflates past ${describeBytes(caps.inflatedBytes)}, the cap on a part: not read further`,
        );
      let start = 0;
      for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
        if (pendingBytes + end - start > caps.lineBytes) throw tooLong();
        const text =
          pending.length === 0
            ? chunk.toString('utf8', start, end)
            : Buffer.concat([...pending, chunk.subarray(start, end)]).toString('utf8');
        pending = [];
        pendingBytes = 0;
        onLine(text, ++line);
        start = end + 1;
      }
      if (start < chunk.length) {
        pendingBytes += chunk.length - start;
        if (pendingBytes > caps.lineBytes) throw tooLong();
        pending.push(chunk.subarray(start));
      }
    }
  } catch (error) {
    file.destroy();
    gunzip.destroy();
    if ((error as Error).message.startsWith(`part ${source}:`)) throw error;
    throw new Error(`part ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (pendingBytes > 0) onLine(Buffer.concat(pending).toString('utf8'), ++line);
}

export function describeBytes(bytes: number): string {
  const units: [number, string][] = [
    [1024 ** 3, 'GiB'],
    [1024 ** 2, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, unit] of units) if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  return `${bytes} bytes`;
}
