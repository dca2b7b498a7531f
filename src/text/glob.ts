// A `*`/`?` wildcard pattern (`*` any run of characters, empty too; `?` exactly one) compiled once into a test, for
// patterns a person writes (the suppression file) and values a run holds many of. Compiling splits the pattern at
// its stars: a value matches when the first piece starts it, the last ends it and the others occur in order
// between them, each at its leftmost place (leftmost is never worse for what follows). Pieces without `?` are
// found with the engine's own substring search; nothing backtracks, and no regular expression is built from the
// pattern.

export type GlobTest = (value: string) => boolean;

/** Whether the text holds a wildcard at all: a pattern without one is an exact value. */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** True for a pattern that admits every value: stars only. */
export function admitsAnyValue(pattern: string): boolean {
  return /^\*+$/.test(pattern);
}

export function compileGlob(pattern: string): GlobTest {
  if (!hasWildcard(pattern)) return (value) => value === pattern;
  if (admitsAnyValue(pattern)) return () => true;
  const pieces = pattern.split('*');
  const first = pieces[0] as string;
  const last = pieces.length > 1 ? (pieces.at(-1) as string) : undefined;
  const middle = pieces.slice(1, -1).filter((piece) => piece !== '');
  if (last === undefined) {
    // No star: `?` only, one character each.
    return (value) => value.length === first.length && pieceAt(value, first, 0);
  }
  // Every character but the stars stands for one of the value's: a shorter value is refused at once.
  const shortest = pattern.length - (pieces.length - 1);
  return (value) => {
    if (value.length < shortest) return false;
    if (!pieceAt(value, first, 0) || !pieceAt(value, last, value.length - last.length)) return false;
    let from = first.length;
    const end = value.length - last.length;
    for (const piece of middle) {
      const at = findPiece(value, piece, from, end);
      if (at === -1) return false;
      from = at + piece.length;
    }
    return true;
  };
}

/** Whether `piece` (`?` = any one character) sits in `value` at `at`. */
function pieceAt(value: string, piece: string, at: number): boolean {
  for (let i = 0; i < piece.length; i++) {
    const char = piece[i];
    if (char !== '?' && value[at + i] !== char) return false;
  }
  return true;
}

/** The leftmost place from `from` where `piece` ends at or before `end`, or -1. */
function findPiece(value: string, piece: string, from: number, end: number): number {
  if (!piece.includes('?')) {
    const at = value.indexOf(piece, from);
    return at !== -1 && at + piece.length <= end ? at : -1;
  }
  for (let at = from; at + piece.length <= end; at++) if (pieceAt(value, piece, at)) return at;
  return -1;
}
