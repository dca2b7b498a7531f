import * as z from 'zod';
import { parseConnectTo } from './connect-to.ts';

/**
 * One shard of an audit split across runs (`--shard I/N`): the I-th of N equal runs of the accounts in scope, in
 * account-id order. Its inventory part is merged with the others' by `--merge` (src/inventory/part.ts).
 */
export interface Shard {
  /** 1 to count. */
  index: number;
  count: number;
}

/**
 * Where the accepted risks are read from (docs/suppressions.md): a file (CLI), or an SSM parameter or an S3 object
 * (Lambda).
 */
export type SuppressionSource =
  | { kind: 'file'; path: string }
  | { kind: 'ssm'; name: string }
  | { kind: 's3'; bucket: string; key: string };

// S3's rules for general purpose bucket names: 3 to 63 lowercase letters, digits, dots and hyphens, starting and
// ending with a letter or digit.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const bucketName = z.string().regex(BUCKET_NAME, 'expected an S3 bucket name (3-63 of a-z 0-9 . -)');

/** `s3://bucket/key` → bucket and key. */
export const s3ObjectUri = z.string().transform((value, ctx) => {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(value);
  if (!match?.[1] || !match[2] || !BUCKET_NAME.test(match[1])) {
    ctx.addIssue({ code: 'custom', message: 'expected s3://BUCKET/KEY' });
    return z.NEVER;
  }
  return { bucket: match[1], key: match[2] };
});

/** `a, b,c` → ['a','b','c']; empty items dropped. */
function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A comma-separated list in a string, validated item by item, of at most `max` items. */
export function csv<T extends z.ZodType<string, string>>(item: T, max: number = MAX_ACCOUNTS) {
  return z
    .string()
    .transform(splitList)
    .pipe(
      z
        .array(item)
        .min(1, 'expected a comma-separated list with at least one item')
        .max(max, `expected at most ${max} items`),
    );
}

/** Bounds on the lists a run takes: an organization's accounts, a partition's regions, with room to spare. */
export const MAX_ACCOUNTS = 10_000;
export const MAX_REGIONS = 50;

/** A whole number in a string (env vars, flags). */
export function intString(min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, `expected a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `expected at least ${min}`).max(max, `expected at most ${max}`));
}

/** `true` or `false` in a string (env vars), any case. */
export const booleanString = z
  .string()
  .regex(/^(true|false)$/i, 'expected true or false')
  .transform((value) => value.toLowerCase() === 'true');

/** `HOST:PORT:CONNECT_HOST:CONNECT_PORT`, checked here so a typo stops the run before it starts. */
export const connectToSpec = z.string().superRefine((spec, ctx) => {
  try {
    parseConnectTo(spec);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});
