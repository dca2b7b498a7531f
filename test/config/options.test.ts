// The options table (src/config/options.ts) is the one place an option is declared: a row added to a table gives
// its flag, environment variable, event field, default and --help line, each reading the one range it declares.

import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { helpSection } from '../../src/cli/help-text.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { parseFlags } from '../../src/config/flags.ts';
import { defaultsOf } from '../../src/config/option.ts';
import { DEFAULTS, OPTIONS } from '../../src/config/options.ts';
import { fieldsOf, flagSpecs, readEnv, readFlags, shapeOf } from '../../src/config/read-options.ts';
import { parseCommand } from '../../src/config/report-command.ts';
import { resolveConfig } from '../../src/config/resolve.ts';
import { onOff, repeated, textual, wholeNumber } from '../../src/config/value-types.ts';

/** A table of options the auditor does not have, built as src/config/options.ts builds its rows. */
function fakeTable() {
  return [
    {
      field: 'leaseDays',
      type: wholeNumber(1, 9),
      flag: 'lease-days',
      env: 'LEASE_DAYS',
      event: 'leaseDays',
      default: 3,
      help: { section: 'Probing', arg: 'N', text: 'days a lease lasts' },
    },
    {
      field: 'quiet',
      type: onOff,
      flag: 'quiet',
      env: 'QUIET',
      help: { section: 'Output', text: 'say less' },
    },
    { field: 'peers', type: repeated(z.string().min(1)), flag: 'peer', env: 'PEERS' },
    { field: 'color', type: textual(z.enum(['red', 'blue'])), env: 'COLOR_NAME' },
    { field: 'color', type: textual(z.enum(['red', 'blue'])), env: 'COLOUR_NAME' },
  ] as const;
}

describe('a row of the options table', () => {
  it('gives its flag to parseArgs, as a value, a switch or a repeated value', () => {
    // Act
    const specs = flagSpecs(fakeTable());

    // Assess
    expect(specs).toEqual({
      'lease-days': { type: 'string' },
      quiet: { type: 'boolean' },
      peer: { type: 'string', multiple: true },
    });
  });

  it('reads its flag, environment variable and event field onto its field, within its one range', () => {
    // Prepare
    const table = fakeTable();
    const event = z.strictObject(shapeOf(table, 'event'));

    // Act
    const flags = readFlags(table, { 'lease-days': '4', quiet: true, peer: ['a', 'b'] });
    const env = readEnv(table, {
      LEASE_DAYS: '5',
      QUIET: 'TRUE',
      PEERS: 'a, b',
      COLOR_NAME: 'red',
      OTHER: 'x',
    });
    const fromEvent = fieldsOf(table, 'event', event.parse({ leaseDays: 6 }));

    // Assess
    expect(flags).toEqual({ leaseDays: 4, quiet: true, peers: ['a', 'b'] });
    expect(env).toEqual({ leaseDays: 5, quiet: true, peers: ['a', 'b'], color: 'red' });
    expect(fromEvent).toEqual({ leaseDays: 6 });
  });

  it.each([
    ['a flag', () => readFlags(fakeTable(), { 'lease-days': '12' }), 'flag --lease-days: expected at most 9'],
    [
      'an environment variable',
      () => readEnv(fakeTable(), { LEASE_DAYS: 'soon' }),
      'environment variable LEASE_DAYS: expected a whole number from 1 to 9',
    ],
    ['an unknown flag value', () => readFlags(fakeTable(), { colour: 'red' }), 'colour'],
    [
      'two variables of one field',
      () => readEnv(fakeTable(), { COLOR_NAME: 'red', COLOUR_NAME: 'blue' }),
      'environment variable COLOUR_NAME: expected at most one of COLOR_NAME and COLOUR_NAME',
    ],
  ])('refuses a bad value of %s, naming it and its range', (_case, read, expected) => {
    // Act / Assess
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(expected);
  });

  it('refuses an event field out of its range', () => {
    // Prepare
    const event = z.strictObject(shapeOf(fakeTable(), 'event'));

    // Act
    const parsed = event.safeParse({ leaseDays: 10 });

    // Assess
    expect(parsed.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['leaseDays'], 'expected at most 9'],
    ]);
  });

  it('treats an empty environment variable as unset', () => {
    // Act
    const env = readEnv(fakeTable(), { LEASE_DAYS: '', QUIET: '' });

    // Assess
    expect(env).toEqual({});
  });

  it('gives its --help line, with its default, in its section', () => {
    // Act
    const probing = helpSection(fakeTable(), 'Probing');
    const output = helpSection(fakeTable(), 'Output');

    // Assess
    expect(probing).toBe(`Probing\n  --lease-days N${' '.repeat(14)}days a lease lasts (default 3)\n`);
    expect(output).toContain('  --quiet ');
    expect(output).toContain('say less\n');
    expect(helpSection(fakeTable(), 'Time')).toBe('');
  });

  it('gives its default', () => {
    // Act
    const defaults = defaultsOf(fakeTable());

    // Assess
    expect(defaults).toEqual({ leaseDays: 3 });
  });
});

describe('the options table', () => {
  const rows: readonly { flag?: string; env?: string; param?: string; event?: string; help?: unknown }[] =
    OPTIONS;

  it.each(['flag', 'env', 'param', 'event'] as const)('names each %s once', (source) => {
    // Act
    const names = rows.flatMap((row) => row[source] ?? []);

    // Assess
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('gives every flag a --help line and every param the variable it sets', () => {
    // Act
    const flagsWithoutHelp = rows.filter((row) => row.flag && !row.help).map((row) => row.flag);
    const paramsWithoutEnv = rows.filter((row) => row.param && !row.env).map((row) => row.param);

    // Assess
    expect(flagsWithoutHelp).toEqual([]);
    expect(paramsWithoutEnv).toEqual([]);
  });

  it("sets every default in the resolved configuration, whatever the row's file", () => {
    // Act
    const config: Record<string, unknown> = { ...resolveConfig('schedule', {}) };
    const resolved = Object.fromEntries(Object.keys(DEFAULTS).map((field) => [field, config[field]]));

    // Assess
    expect(Object.keys(DEFAULTS).length).toBeGreaterThan(5);
    expect(resolved).toEqual(DEFAULTS);
  });

  it("keeps the CLI's own flags out of the audit's input, and the audit's out of the CLI's settings", () => {
    // Act
    const options = parseFlags([
      '--format',
      'json',
      '--checks',
      'ca-expired',
      '--ca-warn-days',
      '30',
      '--publish',
    ]);

    // Assess
    expect(options.input).toEqual({ caWarnDays: 30, publish: true });
    expect(options.format).toBe('json');
    expect(options.filter).toEqual({ checks: ['ca-expired'] });
    expect(options).not.toHaveProperty('caWarnDays');
  });
});

describe('`report FILE`', () => {
  it('takes the flags the table marks for it, and refuses the others as an audit’s', () => {
    // Act
    const taken = parseCommand(['report', 'saved.json', '--severity', 'high', '--region', 'eu-west-1']);
    const refused = () => parseCommand(['report', 'saved.json', '--ca-warn-days', '30']);

    // Assess
    expect(taken).toMatchObject({
      kind: 'report',
      file: 'saved.json',
      options: { filter: { minSeverity: 'high' } },
    });
    expect(taken.options.input.homeRegion).toBe('eu-west-1');
    expect(refused).toThrow('flag --ca-warn-days: `report` renders a saved report again');
  });
});
