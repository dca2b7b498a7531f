import { describe, expect, it } from 'vitest';
import { closestWords } from '../../src/text/closest.ts';
import { compileGlob, globMatch, wildcardPieces } from '../../src/text/glob.ts';

/** Every string of up to `length` characters over `alphabet`. */
function strings(alphabet: string, length: number): string[] {
  let all = [''];
  let frontier = [''];
  for (let n = 0; n < length; n++) {
    frontier = frontier.flatMap((prefix) => [...alphabet].map((char) => prefix + char));
    all = all.concat(frontier);
  }
  return all;
}

/** The textbook definition, by dynamic programming over (pattern prefix, value prefix): slow, plainly right. */
function definitionMatches(pattern: string, value: string): boolean {
  let row = [true, ...[...value].map(() => false)];
  for (const char of pattern) {
    const next = [char === '*' && (row[0] ?? false)];
    for (let j = 1; j <= value.length; j++) {
      next.push(
        char === '*'
          ? (row[j] ?? false) || (next[j - 1] ?? false)
          : (row[j - 1] ?? false) && (char === '?' || char === value[j - 1]),
      );
    }
    row = next;
  }
  return row[value.length] ?? false;
}

describe('the wildcard matcher', () => {
  it('agrees with the definition on every pattern and value of up to 4 and 5 characters, compiled or not, in any case when asked', () => {
    // Prepare: patterns over a, b, * and ?; values over a and b
    const patterns = strings('ab*?', 4);
    const values = strings('ab', 5);

    // Act
    const disagreements = patterns.flatMap((pattern) => {
      const test = compileGlob(pattern);
      const pieces = wildcardPieces(pattern);
      const upper = pattern.toUpperCase();
      const testIgnoringCase = compileGlob(upper, true);
      const upperPieces = wildcardPieces(upper);
      const expected = (value: string) => definitionMatches(pattern, value);
      return values
        .filter(
          (value) =>
            test(value) !== expected(value) ||
            globMatch(pieces, value) !== expected(value) ||
            testIgnoringCase(value) !== expected(value) ||
            globMatch(upperPieces, value, true) !== expected(value) ||
            (upper !== pattern && compileGlob(upper)(value)),
        )
        .map((value) => [pattern, value]);
    });

    // Assess
    expect(patterns.length * values.length).toBeGreaterThan(10_000);
    expect(disagreements).toEqual([]);
  });
});

describe('closestWords', () => {
  it('names the near misses of a typo, and nothing for a word far from all', () => {
    // Act / Assess
    expect(closestWords('trust-nosub', ['trust-no-sub', 'trust-no-aud', 'provider-missing'])).toEqual([
      'trust-no-sub',
    ]);
    expect(closestWords('zzz', ['trust-no-sub', 'provider-missing'])).toEqual([]);
  });
});
