// README.md's option tables (the CLI's flags, the Lambda's environment, the stack's params) against the options
// table (src/config/options.ts): every option it declares is documented, nothing it does not declare is, and the
// default a row states is the table's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAN_OUT_OPTIONS } from '../../src/config/fan-out.ts';
import { OPTIONS } from '../../src/config/options.ts';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

interface Row {
  flag?: string;
  env?: string;
  param?: string;
  default?: unknown;
  type: { flag: string };
}
// The fan-out's variables are the stack's business, not the user's: its params are documented, its variables not.
const ROWS: readonly Row[] = [...OPTIONS, ...FAN_OUT_OPTIONS.map(({ env: _internal, ...row }) => row)];

/** The rows of the README table under this header line, as [names cell, default cell]. */
function readmeTable(header: string): [string, string][] {
  const start = README.indexOf(`\n${header}\n`);
  if (start < 0) throw new Error(`README.md has no table headed ${header}`);
  const lines = README.slice(start + header.length + 2).split('\n');
  const rows = lines.slice(
    1,
    lines.findIndex((line) => !line.startsWith('|')),
  );
  return rows.map((line) => {
    const cells = line.split(/(?<!\\)\|/).slice(1, -1);
    return [cells[0] ?? '', cells.at(-1) ?? ''];
  });
}

const names = (cell: string, pattern: RegExp) =>
  [...cell.matchAll(pattern)].map((match) => match[1] as string);

const TABLES = {
  flag: { header: '| flag | meaning | default |', pattern: /--([a-z][a-z-]*)/g },
  env: {
    header: '| environment | meaning | default |',
    pattern: /\b([A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z]{4,})\b/g,
  },
  param: { header: '| parameter | what it does | default |', pattern: /`([a-z][A-Za-z]*)`/g },
} as const;

/** How a default reads in the README: a switch is `off`, a variable's or param's boolean `false`. */
function shown(row: Row, source: keyof typeof TABLES): string {
  if (source === 'flag' && row.type.flag === 'switch') return row.default ? 'on' : 'off';
  return String(row.default);
}

describe.each(Object.keys(TABLES) as (keyof typeof TABLES)[])("README.md's %s table", (source) => {
  // Prepare
  const { header, pattern } = TABLES[source];
  const table = readmeTable(header);
  const declared = ROWS.flatMap((row) => row[source] ?? []);
  const documented = table.flatMap(([cell]) => names(cell, pattern));

  it('documents every option the table gives one', () => {
    // Assess
    expect(declared.filter((name) => !documented.includes(name))).toEqual([]);
  });

  it('documents no other, but the params that only shape the stack', () => {
    // The params table also holds the stack's own params (schedule, memory, …): deploy/check-params.ts checks those.
    if (source === 'param') return;

    // Assess
    expect(documented.filter((name) => !declared.includes(name))).toEqual([]);
  });

  it("states the table's default", () => {
    // Act
    const wrong = ROWS.flatMap((row) => {
      const name = row[source];
      if (name === undefined || row.default === undefined) return [];
      const documentedRow = table.find(([cell]) => names(cell, pattern).includes(name));
      const cell = documentedRow?.[1] ?? '';
      return cell.includes(shown(row, source))
        ? []
        : [`${name}: "${cell.trim()}" lacks ${shown(row, source)}`];
    });

    // Assess
    expect(wrong).toEqual([]);
  });
});

it("README.md's manual event names every event field of the table", () => {
  // Prepare
  const line = /^- `(\{ "trigger": "manual".*\})`/m.exec(README)?.[1] ?? '';
  const documented = names(line, /"(\w+)":/g);

  // Act
  const missing = OPTIONS.flatMap((row) => ('event' in row ? [row.event] : [])).filter(
    (field) => !documented.includes(field),
  );

  // Assess
  expect(documented).toContain('trigger');
  expect(missing).toEqual([]);
});
