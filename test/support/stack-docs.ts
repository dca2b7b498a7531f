// What the README and deploy/member-role.yaml say the stack creates, read as data, for the package tests to compare
// with the packaged template.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../scripts/sandbox-processes.ts';

export const README = readFileSync(join(REPO, 'README.md'), 'utf8');
export const MEMBER_ROLE = readFileSync(join(REPO, 'deploy', 'member-role.yaml'), 'utf8');

const WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];

/** `six` for 6, as the README writes small counts. */
export function inWords(count: number): string {
  const word = WORDS[count];
  if (!word) throw new Error(`no word for ${count}`);
  return word;
}

/** The text of the README from `start` to the next line that matches `end`. */
function readmeSection(start: string, end: RegExp): string {
  const from = README.indexOf(start);
  if (from < 0) throw new Error(`README.md has no "${start}"`);
  const rest = README.slice(from);
  const stop = rest.slice(start.length).search(end);
  return stop < 0 ? rest : rest.slice(0, start.length + stop);
}

/** The README's table of the template's resources: type → count, with fanOut off and on. */
export function documentedResources(): { off: Map<string, number>; on: Map<string, number> } {
  const table = readmeSection('What the template holds, by type', /\n\n(?!\|)/);
  const off = new Map<string, number>();
  const on = new Map<string, number>();
  for (const [, types, offCounts, onCounts] of table.matchAll(
    /^\| (`AWS::[^|]+) \| ([\d, ]+) \| ([\d, ]+) \|/gm,
  )) {
    const names = (types as string).split(', ').map((type) => type.replaceAll('`', ''));
    const counts = (text: string) => text.split(', ').map(Number);
    // A type the stack has only with fanOut=true is written with 0 for fanOut=false: not in that template.
    for (const [index, name] of names.entries()) {
      const [whenOff, whenOn] = [counts(offCounts as string)[index], counts(onCounts as string)[index]];
      if (whenOff !== 0) off.set(name, whenOff ?? Number.NaN);
      if (whenOn !== 0) on.set(name, whenOn ?? Number.NaN);
    }
  }
  return { off, on };
}

/** The alarm names (`critical-findings`) of the README's list in "Alerts and metrics": all, and the fan-out's. */
export function documentedAlarms(): { all: string[]; fanOut: string[] } {
  const list = readmeSection('The alarms, all to the alert topic:', /\n\n/);
  const names = (text: string) => [...text.matchAll(/`…-([a-z-]+)`/g)].map((match) => match[1] as string);
  const fanOutAt = list.indexOf('with `fanOut=true`');
  return { all: names(list), fanOut: fanOutAt < 0 ? [] : names(list.slice(fanOutAt)) };
}

/** The README's cost row of the alarms: the price of one, and the counts and totals it states. */
export function documentedAlarmCost(): {
  price: number;
  off: number;
  offTotal: number;
  on: number;
  onTotal: number;
} {
  const row =
    /^\| alarms \| \$([\d.]+) per alarm per month \| (\d+) alarms: \$([\d.]+) \((\d+) with `fanOut=true`: \$([\d.]+)\) \|$/m.exec(
      README,
    );
  if (!row) throw new Error('README.md has no cost row for the alarms');
  const [price, off, offTotal, on, onTotal] = row.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { price, off, offTotal, on, onTotal };
}
