import * as z from 'zod';
import { configErrorFrom } from './errors.ts';
import { bucketName, intString } from './input.ts';

/** The fan-out's own settings (docs/fan-out.md): where the parts go, and how many accounts a shard reads. */
export interface FanOutSettings {
  bucket: string;
  shardSize: number;
  /** Shards the state machine runs at once (its Map's MaxConcurrencyPath reads it from the plan). */
  concurrency: number;
}

const schema = z.object({
  PARTS_BUCKET: bucketName,
  AUDIT_SHARD_SIZE: intString(1, 10_000).default(500),
  SHARD_CONCURRENCY: intString(1, 1000).default(10),
});

export function fanOutSettings(env: Record<string, string | undefined>): FanOutSettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw configErrorFrom('environment variable', parsed.error);
  return {
    bucket: parsed.data.PARTS_BUCKET,
    shardSize: parsed.data.AUDIT_SHARD_SIZE,
    concurrency: parsed.data.SHARD_CONCURRENCY,
  };
}
