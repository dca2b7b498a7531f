import { closeSync, openSync, readSync } from 'node:fs';
import { ConfigError } from '../config/errors.ts';

/**
 * Before a merge: each --merge file is a shard's gzip part. A saved JSON report given instead is named as such, with
 * the command that renders it, rather than failing in the inflater (`Z_DATA_ERROR`).
 */
export function checkParts(paths: readonly string[]): void {
  for (const path of paths) {
    const head = firstBytes(path, 2);
    if (head === undefined || (head[0] === 0x1f && head[1] === 0x8b)) continue;
    const json = head.toString('utf8').trimStart().startsWith('{');
    throw new ConfigError(
      `flag --merge: ${path} is ${json ? 'JSON, a saved report perhaps' : 'not gzip'}, not a shard's part (--part-out); ` +
        (json
          ? `render a saved report with: eks-oidc-audit report ${path}`
          : 'expected a file a shard wrote'),
    );
  }
}

/** The file's first bytes; undefined when it cannot be read (the merge then says why). */
function firstBytes(path: string, count: number): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(count);
    return buffer.subarray(0, readSync(fd, buffer, 0, count, 0));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
