// `--help`'s option lines, rendered from the options table (src/config/options.ts): each flag with what it takes,
// its text and its default, in the table's sections and order, wrapped to a terminal's width.

import { HELP_SECTIONS, type OptionHelp } from '../config/option.ts';

/** What a row of the options table says that `--help` shows. */
export interface HelpRow {
  flag?: string;
  short?: string;
  type: { flag: 'value' | 'switch' | 'repeated' };
  default?: unknown;
  help?: OptionHelp;
}

const WIDTH = 110;
const INDENT = 2;
/** Where the texts start: a flag and its argument longer than that put their text on the next line. */
const TEXT_COLUMN = 30;

/** One section's lines: its title, then each of its flags; '' for a section no flag is in. */
export function helpSection(table: readonly HelpRow[], section: (typeof HELP_SECTIONS)[number]): string {
  const rows = table.filter((row) => row.flag !== undefined && row.help?.section === section);
  if (rows.length === 0) return '';
  const lines = rows.flatMap((row) => helpLines(row));
  return `${section ? `${section}\n` : ''}${lines.join('\n')}\n`;
}

/** Every section of the table, a blank line between two. */
export function helpSections(
  table: readonly HelpRow[],
  sections: readonly (typeof HELP_SECTIONS)[number][] = HELP_SECTIONS,
): string[] {
  return sections.map((section) => helpSection(table, section)).filter((text) => text !== '');
}

function helpLines(row: HelpRow): string[] {
  const help = row.help as OptionHelp;
  const usage = `${' '.repeat(INDENT)}${row.short ? `-${row.short}, ` : ''}--${row.flag}${help.arg ? ` ${help.arg}` : ''}`;
  // A switch is off unless given: its default goes without saying.
  const shown =
    row.default !== undefined && row.type.flag !== 'switch' ? ` (default ${String(row.default)})` : '';
  const text = wrap(`${help.text}${shown}`, WIDTH - TEXT_COLUMN);
  const pad = ' '.repeat(TEXT_COLUMN);
  if (usage.length + 1 > TEXT_COLUMN) return [usage, ...text.map((line) => pad + line)];
  return text.map((line, i) => (i === 0 ? usage.padEnd(TEXT_COLUMN) : pad) + line);
}

/** Words into lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
