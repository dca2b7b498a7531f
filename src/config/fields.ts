// What each option's value may be, in words a user reads when it is not (src/config/options.ts puts them to use).

import * as z from 'zod';
import { CHECK_IDS, type CheckId } from '../model/catalog.ts';
import { SEVERITIES } from '../model/finding.ts';
import { MAX_ACCOUNTS, MAX_REGIONS, type Shard } from './input.ts';
import { OUTPUT_FORMATS } from './output-format.ts';
import { closestRegions, isKnownRegion } from './regions.ts';

export const accountId = z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id');
export const region = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region name such as us-east-1')
  .superRefine((name, ctx) => {
    if (isKnownRegion(name)) return;
    const closest = closestRegions(name);
    ctx.addIssue({
      code: 'custom',
      message:
        `${name} is not an AWS region of the aws, aws-cn or aws-us-gov partitions` +
        (closest.length > 0 ? ` (did you mean ${closest.join(', ')}?)` : ''),
    });
  });
/** A profile name of ~/.aws/config, as `aws configure --profile NAME` writes it. */
export const profileName = z
  .string()
  .regex(
    /^[\w.+@:/-]{1,128}$/,
    'expected a profile name of ~/.aws/config (letters, digits and . _ - + @ : /)',
  );
/** One region for the calls that are not about an audited region; the audited ones are --regions. */
export const homeRegion = z
  .string()
  .refine((value) => !value.includes(','), 'expected one region; the regions to audit are --regions')
  .pipe(region);
export const ouId = z
  .string()
  .regex(
    /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/,
    'expected an OU id (ou-…) or root id (r-…)',
  );
export const roleName = z
  .string()
  .regex(/^[\w+=,.@-]{1,64}$/, 'expected an IAM role name (1-64 of A-Z a-z 0-9 +=,.@_-)');
export const externalId = z
  .string()
  .regex(/^[\w+=,.@:/-]{2,1224}$/, 'expected an ExternalId of 2-1224 characters');
export const topicArn = z
  .string()
  .regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]{1,256}(\.fifo)?$/, 'expected an SNS topic ARN');
export const metricsNamespace = z
  .string()
  .regex(/^[^:][\w .#:/-]{0,254}$/, 'expected a CloudWatch namespace (letters, digits, . - _ / # : space)')
  .refine((value) => !value.startsWith('AWS/'), 'the AWS/ prefix is reserved for AWS namespaces');

/** A severity: the alert threshold, --fail-on, --severity. */
export const severity = z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` });
export const tableName = z
  .string()
  .regex(/^[\w.-]{3,255}$/, 'expected a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)');

/** Accepts `org`, or a list of account ids (at most MAX_ACCOUNTS: a bound, so an event cannot run away). */
export const accountsInput = z
  .union([z.literal('org'), z.array(accountId).min(1, 'expected at least one account id')], {
    error: 'expected "org" or a list of 12-digit account ids',
  })
  .refine((value) => value === 'org' || value.length <= MAX_ACCOUNTS, {
    message: `expected at most ${MAX_ACCOUNTS} account ids`,
  });
/** Accepts `all`, or a list of region names (at most MAX_REGIONS). */
export const regionsInput = z
  .union([z.literal('all'), z.array(region).min(1, 'expected at least one region')], {
    error: 'expected "all" or a list of region names such as ["us-east-1"]',
  })
  .refine((value) => value === 'all' || value.length <= MAX_REGIONS, {
    message: `expected at most ${MAX_REGIONS} regions`,
  });

export const checkId = z.enum(CHECK_IDS as [CheckId, ...CheckId[]], {
  error: 'expected a check id (eks-oidc-audit --list-checks prints them)',
});

export const outputFormat = z.enum(OUTPUT_FORMATS, { error: `expected one of ${OUTPUT_FORMATS.join(', ')}` });

export const filePath = z.string().min(1, 'expected a file path');
export const directoryPath = z.string().min(1, 'expected a directory path');

export const ssmParameterName = z
  .string()
  .regex(/^[a-zA-Z0-9_.\-/]{1,2048}$/, 'expected an SSM parameter name (letters, digits, _ . - /)');

/** `I/N`: shard I of N. */
export const shardSpec = z
  .string()
  .regex(/^\d{1,5}\/\d{1,5}$/, 'expected I/N, this run being shard I of N (1/4 to 4/4)')
  .transform((value): Shard => {
    const [index = 0, count = 0] = value.split('/').map(Number);
    return { index, count };
  })
  .refine((s) => s.count >= 1 && s.index >= 1 && s.index <= s.count, 'expected I/N with 1 <= I <= N');
