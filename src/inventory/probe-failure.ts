import type { ProbeError } from '../model/inventory.ts';

/** An error with the short code a ProbeError carries (`ETIMEDOUT`, `HTTP_404`, `ISSUER_MISMATCH`, …). */
export class ProbeFailure extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ProbeFailure';
    this.code = code;
  }
}

/** Errors are data in the inventory: this turns anything thrown while probing into one. */
export function toProbeError(stage: ProbeError['stage'], error: unknown, context?: string): ProbeError {
  const code = (error as { code?: unknown } | null)?.code;
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.split('\n')[0]?.trim() || 'no message';
  return {
    stage,
    code: typeof code === 'string' && code !== '' ? code : 'ERROR',
    message: context ? `${context}: ${message}` : message,
  };
}
