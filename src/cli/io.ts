// Types only, and the exit codes: the CLI answers --help and usage errors without loading the audit's code.
import type { AuditDeps } from '../audit.ts';
import type { AuditConfig } from '../config/schema.ts';
import type { PublishDeps } from '../publish/index.ts';

/** What the CLI reads and writes, and its edges: the real ones unless a test gives its own. */
export interface CliIo {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  version: string;
  /** Replaceable for tests; defaults to the real AWS clients and TLS probe. */
  makeDeps?: (config: AuditConfig, extra: Pick<AuditDeps, 'onProgress' | 'signal'>) => AuditDeps;
  /** Replaceable for tests; defaults to the real CloudWatch, SNS and DynamoDB clients. */
  makePublishDeps?: (config: AuditConfig, signal: AbortSignal) => PublishDeps;
}

export const EXIT = { ok: 0, failed: 1, findings: 2 } as const;
