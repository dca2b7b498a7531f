import * as z from 'zod';
import { ConfigError } from './errors.ts';
import { bucketName } from './input.ts';
import { defaultsOf, type OptionRow, type ValuesOf, type WrongDefaults } from './option.ts';
import { readEnv } from './read-options.ts';
import { textual, wholeNumber } from './value-types.ts';

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

/** The fan-out's options, as src/config/options.ts declares the audit's. */
export const FAN_OUT_OPTIONS = [
  { field: 'bucket', type: textual(bucketName), env: 'PARTS_BUCKET' },
  { field: 'shardSize', type: textual(shardSize), env: 'AUDIT_SHARD_SIZE', param: 'shardSize', default: 500 },
  /** Shards the state machine runs at once (its Map's MaxConcurrencyPath reads it from the plan). */
  {
    field: 'concurrency',
    type: wholeNumber(1, 1000),
    env: 'SHARD_CONCURRENCY',
    param: 'shardConcurrency',
    default: 10,
  },
] as const satisfies readonly OptionRow[];
true satisfies [WrongDefaults<typeof FAN_OUT_OPTIONS>] extends [never]
  ? true
  : WrongDefaults<typeof FAN_OUT_OPTIONS>;

/** The fan-out's own settings (docs/fan-out.md): where the parts go, and how many accounts a shard reads. */
export type FanOutSettings = Required<ValuesOf<typeof FAN_OUT_OPTIONS>>;

export function fanOutSettings(env: Record<string, string | undefined>): FanOutSettings {
  const read = readEnv(FAN_OUT_OPTIONS, env);
  // The stack always sets it (serverless.yml, custom.fanOutEnvironment): without it there is nowhere to put parts.
  if (read.bucket === undefined) {
    throw new ConfigError('environment variable PARTS_BUCKET: expected an S3 bucket name, the parts bucket');
  }
  return { ...defaultsOf(FAN_OUT_OPTIONS), ...read, bucket: read.bucket };
}
