// IAM's `*` and `?` wildcards, matched without building a regular expression from policy text: a regex such as
// `^sts:.*.?.*.?…X$` backtracks exponentially, and a policy is written by whoever controls the member account.
// See docs/iam-wildcards.md for the semantics and the AWS pages they come from.

export type GlobPiece = { kind: 'text'; text: string } | { kind: 'star' } | { kind: 'one' };

/**
 * IAM glob match: `*` any run of characters (empty too, colons and slashes too), `?` exactly one.
 *
 * Greedy two-pointer matching that, on a mismatch, only ever returns to the last star seen: each character of the
 * subject is revisited at most once per star, so the worst case is O(pattern × subject) and the usual case linear.
 */
export function globMatch(pieces: readonly GlobPiece[], subject: string, ignoreCase = false): boolean {
  const target = ignoreCase ? subject.toLowerCase() : subject;
  // One slot per pattern character: a string for a literal, null for `?`, undefined for `*`.
  const slots: Array<string | null | undefined> = [];
  for (const piece of pieces) {
    if (piece.kind === 'text')
      for (const char of ignoreCase ? piece.text.toLowerCase() : piece.text) slots.push(char);
    else slots.push(piece.kind === 'one' ? null : undefined);
  }
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
}

/** The pieces of a plain wildcard pattern (no policy variables, no escapes): action names, ARNs. */
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
