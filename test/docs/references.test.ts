// Every note a comment points to lives in this repository, so a contributor who clones it can follow it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory()
      ? files(path)
      : /\.(ts|ya?ml|md)$/.test(name)
        ? [path]
        : [];
  });
}

const SOURCES = [
  ...files('src'),
  ...files('test'),
  ...files('scripts'),
  ...files('docs'),
  'serverless.yml',
  'README.md',
];

it('points comments only to docs that exist in the repository', () => {
  // Act
  const missing: string[] = [];
  const outside: string[] = [];
  for (const file of SOURCES) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const [, doc] of text.matchAll(/\bdocs\/([\w.-]+\.md)/g)) {
      try {
        statSync(join(ROOT, 'docs', doc as string));
      } catch {
        missing.push(`${file}: docs/${doc}`);
      }
    }
    // The steering notes are not part of the repository.
    if (file !== 'test/docs/references.test.ts' && /\b(DOMAIN|DESIGN)\.md\b/.test(text)) outside.push(file);
  }

  // Assess
  expect(missing).toEqual([]);
  expect(outside).toEqual([]);
});
