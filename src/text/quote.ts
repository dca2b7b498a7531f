// Every value read from AWS, from an issuer or from a trust policy is written by someone the auditor does not
// trust: a member account's administrator, whoever runs an issuer host. Before such a value reaches a person it
// goes through here, so that it can neither run in a pasted command nor forge lines in the table or the email.

// Characters that never need quoting in a POSIX shell word (and that common AWS values are made of), so the
// usual commands stay readable.
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One POSIX shell word for `value`: bare when it only has safe characters, otherwise in single quotes, inside which
 * a shell expands nothing (`$()`, backticks, `;`, `|`); a `'` becomes `'"'"'`. Control characters are made visible
 * first: a command carrying a raw newline would print as two lines, the second one at the left margin.
 */
export function shellQuote(value: string): string {
  const visible = printable(value);
  if (SHELL_SAFE.test(visible)) return visible;
  return `'${visible.replaceAll("'", `'"'"'`)}'`;
}

// C0 controls, DEL, C1 controls, the Unicode line and paragraph separators, and the bidirectional controls that
// can make text display in another order than it is read (Trojan Source).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `value` on one line with every control character shown as an escape (`\n`, `\x1b`, `\u202e`). */
export function printable(value: string): string {
  return value.replace(UNPRINTABLE, visible);
}

/** Text of several lines (steps of a fix): each line made printable, the line breaks kept. */
export function printableLines(text: string): string {
  return text
    .split('\n')
    .map((line) => printable(line))
    .join('\n');
}
