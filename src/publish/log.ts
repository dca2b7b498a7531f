/** Where publishing says what it did, and what went wrong without failing the run. */
export interface PublishLog {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

export const SILENT: PublishLog = { info: () => {}, warn: () => {} };
