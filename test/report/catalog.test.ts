// The catalog is the one place a check is declared: the README's tables and docs/checks.md are its rendering,
// each check is emitted by its family's code (the compiler keeps a family to its own checks, so to no other:
// test/checks/contract.test.ts), and each check has tests that name it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks, FAMILY_CHECKS } from '../../src/checks/index.ts';
import { CATALOG, CHECK_IDS, FAMILIES } from '../../src/model/catalog.ts';
import { ISSUER_IDS } from '../../src/model/issuers.ts';
import { checksReference, renderReadmeTables } from '../../src/report/catalog.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) =>
      (heading as string)
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replaceAll(' ', '-'),
    ),
  );
}

describe('the check catalog', () => {
  it('is what the README check tables say (run `npm run docs` after editing src/model/catalog.ts)', () => {
    // Prepare
    const readme = read('README.md');

    // Act
    const rendered = renderReadmeTables(readme);

    // Assess
    expect(readme).toContain('<!-- checks: trust cross-account -->');
    expect(readme).toBe(rendered);
  });

  it('is what docs/checks.md says, one section per check, then one per issuer of the issuer table', () => {
    // Act
    const reference = read('docs/checks.md');
    const anchors = [...anchorsOf(reference)].filter((anchor) => anchor !== 'the-checks');

    // Assess
    expect(reference).toBe(checksReference());
    expect(anchors).toEqual([...CHECK_IDS, 'issuers', ...ISSUER_IDS.map((id) => `issuer-${id}`)]);
  });

  it('tables every check of every family in the README exactly once', () => {
    // Act
    const listed = [...read('README.md').matchAll(/^\| \[`([a-z-]+)`\]\(docs\/checks\.md#\1\)/gm)].map(
      ([, id]) => id,
    );

    // Assess
    expect([...listed].sort()).toEqual([...CHECK_IDS].sort());
  });

  it.each(CHECK_IDS)('points %s to a note of this repository that exists', (id) => {
    // Prepare
    const [file, anchor] = CATALOG[id].docs.split('#');

    // Act
    const note = read(file as string);

    // Assess
    if (anchor !== undefined) expect(anchorsOf(note)).toContain(anchor);
  });

  // The compiler only bounds what a family may emit; that it emits each of its checks at all is read from the
  // source: the family's file, and the files named after it (src/checks/trust-issuers.ts), hold the id.
  it.each(CHECK_IDS)('has %s given by the code of its family', (id) => {
    // Prepare
    const family = CATALOG[id].family;
    const files = readdirSync(join(ROOT, 'src/checks')).filter(
      (name) => name === `${family}.ts` || name.startsWith(`${family}-`),
    );

    // Act
    const giving = files.filter((name) => read(`src/checks/${name}`).includes(`'${id}'`));

    // Assess
    expect(files).toContain(`${family}.ts`);
    expect(giving).not.toEqual([]);
  });

  it.each(FAMILIES)('runs the %s family once, under its own name', (name) => {
    // Act
    const runs = checks.filter((family) => family === FAMILY_CHECKS[name]);

    // Assess
    expect(runs).toHaveLength(1);
    expect(FAMILY_CHECKS[name].family).toBe(name);
  });

  it.each(CHECK_IDS)('has %s named by the tests of its family', (id) => {
    // Act
    const tests = read(`test/checks/${CATALOG[id].family}.test.ts`);

    // Assess
    expect(tests).toContain(id);
  });
});
