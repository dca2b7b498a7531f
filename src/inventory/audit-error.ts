import type { AuditError } from './types.ts';

/** The AWS error code as the SDK surfaces it (`AccessDenied`, `ThrottlingException`, …), else a Node code. */
export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { name, code, Code } = error as { name?: unknown; code?: unknown; Code?: unknown };
    for (const candidate of [Code, code, name]) {
      if (typeof candidate === 'string' && candidate !== '' && candidate !== 'Error') return candidate;
    }
  }
  return 'Error';
}

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() || 'no message';
}

export function auditError(
  accountId: string | null,
  region: string | null,
  stage: string,
  error: unknown,
): AuditError {
  return { accountId, region, stage, code: errorCode(error), message: errorMessage(error) };
}
