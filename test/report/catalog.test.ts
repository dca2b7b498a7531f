// The catalog is the one place a check is declared: the README's tables and docs/checks.md are its rendering,
// each family file gives exactly the checks declared for it, and each check has tests that name it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFinding } from '../../src/checks/finding.ts';
import { FAMILY_CHECKS } from '../../src/checks/index.ts';
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

  it.each(FAMILIES)('has the %s family give exactly its declared checks (and audit errors)', (family) => {
    // Prepare
    const source = read(`src/checks/${family}.ts`);
    const declared = CHECK_IDS.filter((id) => CATALOG[id].family === family);

    // Act
    const given = new Set(
      [...source.matchAll(/check: ([^,\n]+)/g)].flatMap(([, value]) =>
        [...(value as string).matchAll(/'([a-z]+-[a-z-]+)'/g)].map(([, id]) => id as string),
      ),
    );

    // Assess
    expect(FAMILY_CHECKS[family]).toBeTypeOf('function');
    expect([...given].filter((id) => !declared.includes(id as never) && id !== 'audit-error')).toEqual([]);
    expect(declared.filter((id) => !given.has(id))).toEqual([]);
  });

  it.each(CHECK_IDS)('has %s named by the tests of its family', (id) => {
    // Act
    const tests = read(`test/checks/${CATALOG[id].family}.test.ts`);

    // Assess
    expect(tests).toContain(id);
  });

  it('refuses a finding whose severity its check does not declare', () => {
    // Prepare
    const input = {
      check: 'audience-extra' as const,
      severity: 'critical' as const,
      accountId: '111122223333',
      region: null,
      resource: 'arn:aws:iam::111122223333:oidc-provider/example.com',
      cluster: null,
      message: 'm',
      remediation: 'r',
      evidence: {},
    };

    // Act
    const make = () => makeFinding(input);

    // Assess
    expect(make).toThrow(/audience-extra gave severity critical, which its catalog entry does not declare/);
    expect(makeFinding({ ...input, severity: 'info' }).severity).toBe('info');
  });
});
