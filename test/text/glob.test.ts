import { describe, expect, it } from 'vitest';
import { globMatch, wildcardPieces } from '../../src/facts/trust/wildcard.ts';
import { closestWords } from '../../src/text/closest.ts';
import { compileGlob } from '../../src/text/glob.ts';

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

describe('compileGlob', () => {
  it('agrees with the IAM matcher on every pattern and value of up to 4 and 5 characters', () => {
    // Prepare: patterns over a, b, * and ?; values over a and b
    const patterns = strings('ab*?', 4);
    const values = strings('ab', 5);

    // Act
    const disagreements = patterns.flatMap((pattern) => {
      const test = compileGlob(pattern);
      const pieces = wildcardPieces(pattern);
      return values
        .filter((value) => test(value) !== globMatch(pieces, value))
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
