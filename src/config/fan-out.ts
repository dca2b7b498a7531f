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

/**
 * The most accounts a shard may read (docs/fan-out.md, "Shard size"): a shard is one invocation with the audit
 * function's memory and 15 minutes, which some 2,500 accounts of the benchmark's size fill, and its part must stay
 * under the cap the merge reads a part under (PART_CAPS, src/inventory/part.ts) for accounts heavier than those.
 */
export const MAX_SHARD_SIZE = 2_500;

const shardSize = z
  .string()
  .regex(/^\d+$/, `expected a whole number of accounts from 1 to ${MAX_SHARD_SIZE}`)
  .transform(Number)
  .pipe(
    z
      .number()
      .int()
      .min(1, 'expected at least 1 account')
      .max(
        MAX_SHARD_SIZE,
        `expected at most ${MAX_SHARD_SIZE} accounts: a larger shard outgrows one invocation, and its part what the merge reads (docs/fan-out.md, "Shard size")`,
      ),
  );

const schema = z.object({
  PARTS_BUCKET: bucketName,
  AUDIT_SHARD_SIZE: shardSize.default(500),
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
