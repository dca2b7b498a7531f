// Large text (an organization's report, an audit's inventory part) produced as a sequence of chunks and written as
// it is produced: a large organization's report is more than one V8 string may hold (docs/performance.md, "The
// merge"), and a whole copy in memory would come on top of everything the audit holds.

import { once } from 'node:events';
import { closeSync, openSync, writeSync } from 'node:fs';
import { Readable, type Writable } from 'node:stream';

/** Characters gathered before each write to a stream: small chunks one by one cost a write call each. */
const STREAM_BATCH_CHARS = 64 * 1024;

// Characters gathered before each write to a file. Files are written synchronously: through a stream, each chunk
// waited for its own round trip to libuv's threads, which left the CPU idle for much of the time an
// organization's report took to write (docs/performance.md, "The merge"). Below V8's 128 KiB for a regular object,
// so each batch dies young: batches of a megabyte were large objects, kept until a full collection, and held
// the merge's RSS higher while it wrote.
const FILE_BATCH_CHARS = 64 * 1024;

/** The chunks joined into strings of at least `minChars` (the last may be shorter), in order. */
function* batched(chunks: Iterable<string>, minChars: number): Generator<string> {
  let pending = '';
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.length < minChars) continue;
    yield pending;
    pending = '';
  }
  if (pending !== '') yield pending;
}

/** The chunks as a readable stream of text, for a consumer that pulls (an S3 multipart upload). */
export function readableOf(chunks: Iterable<string>): Readable {
  return Readable.from(batched(chunks, STREAM_BATCH_CHARS));
}

/**
 * Writes the chunks to `out` in order, honouring backpressure. Resolves once the last one has been handed on (so
 * a caller may exit right after); rejects if the stream fails meanwhile; does not end `out`.
 */
export async function writeChunks(chunks: Iterable<string>, out: Writable): Promise<void> {
  let last = '';
  for (const text of batched(chunks, STREAM_BATCH_CHARS)) {
    if (last !== '' && !out.write(last)) await once(out, 'drain');
    last = text;
  }
  await new Promise<void>((resolve, reject) =>
    out.write(last, (error) => (error ? reject(error) : resolve())),
  );
}

/** The chunks into a file, created or replaced; throws the file's error (ENOENT, EACCES, ENOSPC). */
export function writeChunksToFile(chunks: Iterable<string>, path: string): void {
  const fd = openSync(path, 'w');
  try {
    for (const text of batched(chunks, FILE_BATCH_CHARS)) writeAll(fd, text);
  } finally {
    closeSync(fd);
  }
}

// A write may take fewer bytes than it is given (a full disk, a signal): the rest is written, or the error thrown.
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
}
