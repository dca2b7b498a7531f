// What the CLI does instead of a whole audit: a shard, a merge, the catalog, help. Rows of the options table
// (src/config/options.ts).

import { filePath, shardSpec } from '../fields.ts';
import type { AnyOption } from '../option.ts';
import type { OptionValues } from '../options.ts';
import { onOff, repeated, textual } from '../value-types.ts';

export const COMMAND_OPTIONS = [
  {
    field: 'shard',
    type: textual(shardSpec),
    flag: 'shard',
    help: {
      section: 'Splitting an audit (docs/fan-out.md)',
      arg: 'I/N',
      text: 'with --part-out: read only shard I of N of the accounts in scope',
    },
  },
  {
    field: 'partOut',
    type: textual(filePath),
    flag: 'part-out',
    help: {
      section: 'Splitting an audit (docs/fan-out.md)',
      arg: 'FILE',
      text: 'with --shard: write what the shard read to FILE (gzip JSON lines) instead of a report',
    },
  },
  {
    field: 'merge',
    type: repeated(filePath),
    flag: 'merge',
    help: {
      section: 'Splitting an audit (docs/fan-out.md)',
      arg: 'FILE',
      text:
        'repeatable, one per shard: judge the parts as one audit (no AWS reads); report, formats, --fail-on ' +
        'and --publish as for a whole run',
    },
  },
  {
    field: 'listChecks',
    type: onOff,
    flag: 'list-checks',
    help: {
      section: '',
      text:
        'the checks, their severities and what they find; --format table|json|csv, narrowed by --severity ' +
        '(checks that can reach it), --checks, --exclude-checks',
    },
  },
  {
    field: 'help',
    type: onOff,
    flag: 'help',
    report: true,
    short: 'h',
    help: { section: '', text: 'this text' },
  },
  {
    field: 'version',
    type: onOff,
    flag: 'version',
    help: { section: '', text: 'the version' },
  },
] as const satisfies readonly AnyOption<OptionValues>[];
