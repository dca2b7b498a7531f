// README's quick start shows what a newcomer sees: excerpts of the table and the digest `npm run demo` prints, and
// of the page `--format html` writes. They are checked against a fresh run, so they cannot drift from the product.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runNode } from '../../scripts/sandbox-processes.ts';
import { useDemoSandbox } from './support/demo.ts';

/** README's `<!-- demo-excerpt: NAME -->` blocks: the lines of their fenced text. */
async function excerpts(): Promise<Map<string, string[]>> {
  const readme = await readFile(join(REPO, 'README.md'), 'utf8');
  const blocks = readme.matchAll(
    /<!-- demo-excerpt: (\w+) -->\n```text\n([\s\S]*?)\n```\n<!-- \/demo-excerpt -->/g,
  );
  return new Map([...blocks].map((m) => [m[1] as string, (m[2] as string).split('\n')]));
}

/**
 * Whether the excerpt's lines occur in the output in order, each run between `…` lines contiguous (a `…` line
 * stands for lines left out); the lines of the excerpt it could not place, else [].
 */
function unplaced(excerpt: string[], output: string[]): string[] {
  const runs: string[][] = [[]];
  for (const line of excerpt) {
    if (line.trim() === '…') runs.push([]);
    else runs.at(-1)?.push(line);
  }
  let from = 0;
  for (const run of runs.filter((r) => r.length > 0)) {
    const at = output.findIndex((_, i) => i >= from && run.every((line, j) => output[i + j] === line));
    if (at === -1) return run;
    from = at + run.length;
  }
  return [];
}

/** The page's text without its markup, as a reader sees its lines. */
function pageText(html: string): string {
  return html
    .replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
}

describe("README's quick start", () => {
  const demo = useDemoSandbox();

  it('shows the table, the page and the digest as the demo makes them', async () => {
    // Prepare
    const shown = await excerpts();
    expect([...shown.keys()].sort()).toEqual(['digest', 'page', 'table']);

    // Act
    const printed = await runNode(['scripts/demo.ts'], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      timeoutMs: 30_000,
    });
    const page = await demo.audit('--format', 'html');

    // Assess
    expect(printed.code, printed.stderr).toBe(0);
    const lines = printed.stdout.split('\n');
    expect(unplaced(shown.get('table') ?? [], lines)).toEqual([]);
    expect(unplaced(shown.get('digest') ?? [], lines)).toEqual([]);
    const text = pageText(page.stdout).split('\n');
    expect(unplaced(shown.get('page') ?? [], text)).toEqual([]);
  }, 60_000);
});
