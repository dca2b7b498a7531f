// What the CLI does instead of a whole audit: a shard, a merge, the catalog, help. Rows of the options table
// (src/config/options.ts).

import { filePath, shardSpec } from '../fields.ts';
import type { OptionRow } from '../option.ts';
import { onOff, repeated, textual } from '../value-types.ts';

export const COMMAND_OPTIONS = [
  /** Audit only this shard of the accounts in scope (`--shard I/N`). */
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
  /** With `--shard`: where this shard writes its inventory part instead of a report. */
  {
    field: 'partOut',
    type: textual(filePath),
    cliOnly: true,
    flag: 'part-out',
    help: {
      section: 'Splitting an audit (docs/fan-out.md)',
      arg: 'FILE',
      text: 'with --shard: write what the shard read to FILE (gzip JSON lines) instead of a report',
    },
  },
  /** The merge step: judge these parts (every shard's) as one audit, reading nothing from AWS. */
  {
    field: 'merge',
    type: repeated(filePath),
    cliOnly: true,
    flag: 'merge',
    help: {
      section: 'Splitting an audit (docs/fan-out.md)',
      arg: 'FILE',
      text:
        'repeatable, one per shard: judge the parts as one audit (no AWS reads); report, formats, --fail-on ' +
        'and --publish as for a whole run',
    },
  },
  /** Print the check catalog and exit. */
  {
    field: 'listChecks',
    type: onOff,
    cliOnly: true,
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
    cliOnly: true,
    flag: 'help',
    report: true,
    short: 'h',
    help: { section: '', text: 'this text' },
  },
  {
    field: 'version',
    type: onOff,
    cliOnly: true,
    flag: 'version',
    help: { section: '', text: 'the version' },
  },
] as const satisfies readonly OptionRow[];
