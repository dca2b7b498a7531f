import { type StringPool, stringPool } from '../../src/runtime/compact.ts';

/** A run's pool of texts (src/runtime/compact.ts) that records each text it is handed, in order. */
export function recordingPool(): { pool: StringPool; handed: string[] } {
  const pool = stringPool();
  const handed: string[] = [];
  return {
    handed,
    pool: (text) => {
      handed.push(text);
      return pool(text);
    },
  };
}
