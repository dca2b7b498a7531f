// The page and the digest name the tool's version and link each check to its docs: both must say what the
// repository says (package.json's version, the README's links to docs/checks.md).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../src/model/catalog.ts';
import { checkDocsUrl, DOCS_BASE_URL, TOOL } from '../../src/report/tool.ts';

const REPO = join(import.meta.dirname, '..', '..');

describe('the tool as the page and the digest name it', () => {
  it("has package.json's name and version", async () => {
    // Prepare
    const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };

    // Assess
    expect(TOOL).toEqual({ name: pkg.name, version: pkg.version });
  });

  it('links each check to the section of docs/checks.md the README links to', async () => {
    // Prepare
    const readme = await readFile(join(REPO, 'README.md'), 'utf8');
    const linked = [...readme.matchAll(/\]\((docs\/checks\.md#[a-z-]+)\)/g)].map((m) => m[1]);

    // Act
    const urls = CHECK_IDS.map(checkDocsUrl);

    // Assess
    expect(linked.toSorted()).toEqual(CHECK_IDS.map((id) => `docs/checks.md#${id}`).toSorted());
    expect(urls.toSorted()).toEqual(
      linked.map((path) => `${DOCS_BASE_URL}${path?.slice('docs/'.length)}`).toSorted(),
    );
  });
});
