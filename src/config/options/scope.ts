// What is audited: accounts, regions, the role assumed in each, and the CLI's own credentials. Rows of the
// options table (src/config/options.ts).

import * as z from 'zod';
import {
  accountId,
  accountsInput,
  externalId,
  homeRegion,
  ouId,
  profileName,
  region,
  regionsInput,
  roleName,
} from '../fields.ts';
import { csv, MAX_REGIONS } from '../input.ts';
import type { OptionRow } from '../option.ts';
import { textual } from '../value-types.ts';

export const SCOPE_OPTIONS = [
  {
    field: 'accounts',
    type: textual(z.union([z.literal('org'), csv(accountId)]), accountsInput),
    flag: 'accounts',
    env: 'AUDIT_ACCOUNTS',
    param: 'accounts',
    event: 'accounts',
    help: {
      section: 'Scope',
      arg: 'id1,id2 | org',
      text: 'accounts to audit (default: the account of the current credentials)',
    },
  },
  {
    field: 'regions',
    type: textual(z.union([z.literal('all'), csv(region, MAX_REGIONS)]), regionsInput),
    flag: 'regions',
    env: 'AUDIT_REGIONS',
    param: 'regions',
    event: 'regions',
    help: {
      section: 'Scope',
      arg: 'r1,r2 | all',
      text: 'regions (default: all = every region enabled for each account)',
    },
  },
  {
    field: 'roleName',
    type: textual(roleName),
    flag: 'role-name',
    env: 'AUDIT_ROLE_NAME',
    param: 'memberRoleName',
    default: 'OIDCAuditRole',
    help: { section: 'Scope', arg: 'NAME', text: 'role assumed in each other account' },
  },
  {
    field: 'externalId',
    type: textual(externalId),
    flag: 'external-id',
    env: 'AUDIT_EXTERNAL_ID',
    param: 'externalId',
    help: { section: 'Scope', arg: 'ID', text: 'ExternalId for that AssumeRole' },
  },
  {
    field: 'includeOus',
    type: textual(csv(ouId)),
    flag: 'include-ous',
    env: 'AUDIT_INCLUDE_OUS',
    param: 'includeOus',
    help: { section: 'Scope', arg: 'ou-…,r-…', text: 'with --accounts org: only accounts under these OUs' },
  },
  {
    field: 'excludeOus',
    type: textual(csv(ouId)),
    flag: 'exclude-ous',
    env: 'AUDIT_EXCLUDE_OUS',
    param: 'excludeOus',
    help: { section: 'Scope', arg: 'ou-…', text: 'with --accounts org: skip accounts under these OUs' },
  },
  {
    field: 'excludeAccounts',
    type: textual(csv(accountId)),
    flag: 'exclude-accounts',
    env: 'AUDIT_EXCLUDE_ACCOUNTS',
    param: 'excludeAccounts',
    help: { section: 'Scope', arg: 'id,…', text: 'with --accounts org: skip these accounts' },
  },
  /**
   * The CLI's --profile, as the AWS CLI has it: the profile of ~/.aws/config and ~/.aws/credentials that the
   * credentials and SDK settings come from, over AWS_PROFILE and the environment's keys. Absent: the SDK's chain.
   */
  {
    field: 'profile',
    type: textual(profileName),
    flag: 'profile',
    report: true,
    help: {
      section: 'Scope',
      arg: 'NAME',
      text: "credentials of this profile of ~/.aws/config (as the AWS CLI's --profile)",
    },
  },
  /**
   * The CLI's --region, as the AWS CLI has it: STS (the caller, AssumeRole), the regions list fallback, the
   * accepted risks' SSM/S3 reads, the alert state and publishing; never the regions audited (--regions).
   * Absent: AWS_REGION, AWS_DEFAULT_REGION, (the CLI) the profile's region in ~/.aws/config, else us-east-1.
   */
  {
    field: 'homeRegion',
    type: textual(homeRegion),
    flag: 'region',
    report: true,
    help: {
      section: 'Scope',
      arg: 'NAME',
      text:
        "home region of STS and publishing, not an audited one (default: AWS_REGION, the profile's region, " +
        'else us-east-1); the regions audited are --regions',
    },
  },
] as const satisfies readonly OptionRow[];
