// `npm run bench -- --memory-trace FILE`: what the auditor process holds, once a second, by kind. RSS alone does not
// say whether a change moved V8's heap or the C heap behind it (OpenSSL's contexts and connections, Node's
// buffers); Linux's /proc/self/smaps does, by mapping: the C heap of the main thread is `[heap]`, V8's pages and
// other threads' heaps are anonymous mappings, and the binary and its libraries are files.

import { appendFileSync, readFileSync } from 'node:fs';

const MiB = 1024 * 1024;

interface Resident {
  cHeap: number;
  anonymous: number;
  files: number;
}

/** Resident kilobytes by kind of mapping, from /proc/self/smaps. */
function residentByKind(): Resident {
  const resident: Resident = { cHeap: 0, anonymous: 0, files: 0 };
  let kind: keyof Resident | undefined = 'anonymous';
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      const path = mapping[1] ?? '';
      kind =
        path === '[heap]' ? 'cHeap' : path === '' ? 'anonymous' : path.startsWith('[') ? undefined : 'files';
    } else if (kind && line.startsWith('Rss:')) resident[kind] += Number(line.split(/\s+/)[1]);
  }
  return resident;
}

/** Appends a line a second to `file` until the returned function is called. */
export function startMemoryTrace(file: string): () => void {
  const started = performance.now();
  const mib = (bytes: number) => (bytes / MiB).toFixed(0);
  appendFileSync(
    file,
    'seconds rss_mib heap_total_mib heap_used_mib external_mib c_heap_mib anonymous_mib files_mib\n',
  );
  const line = () => {
    const memory = process.memoryUsage();
    const resident = residentByKind();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const kinds = [resident.cHeap, resident.anonymous, resident.files].map((kb) => mib(kb * 1024));
    appendFileSync(
      file,
      `${[seconds, mib(memory.rss), mib(memory.heapTotal), mib(memory.heapUsed), mib(memory.external), ...kinds].join(' ')}\n`,
    );
  };
  const timer = setInterval(line, 1_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    line();
  };
}
