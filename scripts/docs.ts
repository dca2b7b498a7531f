// npm run docs: renders the check tables of README.md and docs/checks.md from the check catalog
// (src/model/catalog.ts). test/report/catalog.test.ts fails while they differ from the rendering.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checksReference, renderReadmeTables } from '../src/report/catalog.ts';

const ROOT = join(import.meta.dirname, '..');
const readme = join(ROOT, 'README.md');
writeFileSync(readme, renderReadmeTables(readFileSync(readme, 'utf8')));
writeFileSync(join(ROOT, 'docs', 'checks.md'), checksReference());
console.log('rendered README.md check tables and docs/checks.md from src/model/catalog.ts');
