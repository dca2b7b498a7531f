// IAM's `*` and `?` wildcards (`*` any run of characters, empty too, colons and slashes too; `?` exactly one), the
// one matcher for policy text (trust conditions, action names) and for patterns a person writes (the suppression
// file, muted checks). No regular expression is built from a pattern: a regex such as `^sts:.*.?.*.?…X$`
// backtracks exponentially, and a policy is written by whoever controls the member account.
// See docs/iam-wildcards.md for the semantics and the AWS pages they come from.

export type GlobPiece = { kind: 'text'; text: string } | { kind: 'star' } | { kind: 'one' };

export type GlobTest = (value: string) => boolean;

/** Whether the text holds a wildcard at all: a pattern without one is an exact value. */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** True for a pattern that admits every value: stars only. */
export function admitsAnyValue(pattern: string): boolean {
  return /^\*+$/.test(pattern);
}

/** The pieces of a plain wildcard pattern (no policy variables, no escapes): action names, ARNs, suppressions. */
export function wildcardPieces(pattern: string): GlobPiece[] {
  const pieces: GlobPiece[] = [];
  let text = '';
  for (const char of pattern) {
    if (char !== '*' && char !== '?') {
      text += char;
      continue;
    }
    if (text !== '') pieces.push({ kind: 'text', text });
    text = '';
    pieces.push({ kind: char === '*' ? 'star' : 'one' });
  }
  if (text !== '') pieces.push({ kind: 'text', text });
  return pieces;
}

/** A plain wildcard pattern compiled once, for patterns tested against many values. */
export function compileGlob(pattern: string, ignoreCase = false): GlobTest {
  return compileGlobPieces(wildcardPieces(pattern), ignoreCase);
}

/** Whether the subject matches the pieces: a one-off test, for pieces that change from one call to the next. */
export function globMatch(pieces: readonly GlobPiece[], subject: string, ignoreCase = false): boolean {
  return compileGlobPieces(pieces, ignoreCase)(subject);
}

/** Pieces compiled once, for pieces tested against many values: text only is an equality, stars only admit all. */
export function compileGlobPieces(pieces: readonly GlobPiece[], ignoreCase = false): GlobTest {
  if (pieces.every((piece) => piece.kind === 'text')) {
    const text = pieces.map((piece) => (piece.kind === 'text' ? piece.text : '')).join('');
    if (!ignoreCase) return (value) => value === text;
    const lower = text.toLowerCase();
    return (value) => value.toLowerCase() === lower;
  }
  if (pieces.every((piece) => piece.kind === 'star')) return () => true;
  return compilePieces(pieces, ignoreCase);
}

/**
 * The pieces compiled into a test: greedy two-pointer matching that, on a mismatch, only ever returns to the last
 * star seen: each character of the value is revisited at most once per star, so the worst case is
 * O(pattern × value) and the usual case linear. Every character but the stars stands for one of the value's, so a
 * shorter value is refused at once, and so is one whose end does not fit what follows the last star.
 */
function compilePieces(pieces: readonly GlobPiece[], ignoreCase = false): GlobTest {
  // One slot per pattern character: a string for a literal, null for `?`, undefined for `*`.
  const slots: Array<string | null | undefined> = [];
  for (const piece of pieces) {
    if (piece.kind === 'text')
      for (const char of ignoreCase ? piece.text.toLowerCase() : piece.text) slots.push(char);
    else slots.push(piece.kind === 'one' ? null : undefined);
  }
  const shortest = slots.filter((slot) => slot !== undefined).length;
  const tail = slots.includes(undefined) ? slots.slice(slots.lastIndexOf(undefined) + 1) : [];
  const endFits = (target: string) =>
    tail.every((slot, i) => slot === null || slot === target[target.length - tail.length + i]);
  return (value) => {
    if (value.length < shortest) return false;
    const target = ignoreCase ? value.toLowerCase() : value;
    if (!endFits(target)) return false;
    let p = 0;
    let s = 0;
    let starAt = -1;
    let starMatched = 0;
    while (s < target.length) {
      const slot = slots[p];
      if (p < slots.length && slot !== undefined && (slot === null || slot === target[s])) {
        p++;
        s++;
      } else if (p < slots.length && slot === undefined) {
        starAt = p++;
        starMatched = s;
      } else if (starAt !== -1) {
        p = starAt + 1;
        s = ++starMatched;
      } else {
        return false;
      }
    }
    while (p < slots.length && slots[p] === undefined) p++;
    return p === slots.length;
  };
}
