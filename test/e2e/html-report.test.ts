// The HTML report of the demo world, opened in a real browser (Debian's chromium, headless): what a person sees
// is the summary, what the audit could not see before any finding, the findings with their fixes, the clusters'
// reach and the CA-expiry timeline; and a hostile value stays text. .ci/run installs chromium; elsewhere the test
// is skipped, loudly, unless CI=true, where a missing browser fails it.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDemoSandbox } from './support/demo.ts';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
if (!CHROMIUM && !process.env.CI)
  console.warn('html-report.test.ts: no chromium (apt-get install chromium): skipped');

describe.skipIf(!CHROMIUM && !process.env.CI)('the HTML report of the demo world, in a browser', () => {
  const demo = useDemoSandbox();
  let browser: Browser;
  let dir: string;
  let html: string;
  const criticals = () =>
    demo.world.expectedFindings.filter((finding) => finding.severity === 'critical').length;

  beforeAll(async () => {
    if (!CHROMIUM) throw new Error('chromium is not installed: apt-get install chromium');
    dir = await mkdtemp(join(tmpdir(), 'html-'));
    html = (await demo.audit('--format', 'html')).stdout;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows the summary, the blind spots before the findings, the fixes, the reach and the CA timeline', async () => {
    // Prepare
    const file = join(dir, 'report.html');
    await writeFile(file, html);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));

    // Act
    await page.goto(`file://${file}`);
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the text as rendered, what a person reads
    const text = await page.innerText('body');
    const screenshot = join(dir, 'summary.png');
    await page.screenshot({ path: screenshot });

    // Assess
    expect(text).toMatch(/EKS OIDC audit/);
    expect(text).toMatch(new RegExp(`critical ${criticals()}\\s*high \\d+\\s*medium \\d+`));
    const blind = text.indexOf('What the audit could not see');
    const critical = text.indexOf(`CRITICAL (${criticals()})`);
    expect(blind).toBeGreaterThan(0);
    expect(critical).toBeGreaterThan(blind);
    expect(text).toContain('Could not read at all: legacy (444444444444)');
    expect(text).toContain('aws iam delete-open-id-connect-provider');
    expect(text).toContain('Who can reach which role');
    expect(text).toContain('pod-identity');
    expect(text).toMatch(/CA expiry[\s\S]*expired \d+ days ago/);
    expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
    // Self-contained: nothing but the file itself was fetched.
    expect(requests).toEqual([`file://${file}`]);
  });

  it('keeps a hostile value as text: no element is created from it', async () => {
    // Prepare: the report of the demo world with a finding message carrying markup
    const heading = `CRITICAL (${criticals()})`;
    const hostile = html.replace(heading, `${heading}<!-- marker -->`);
    const page = await browser.newPage();
    const { escapeHtml } = await import('../../src/report/html.ts');
    const injected = escapeHtml(
      '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>',
    );

    // Act
    await page.setContent(hostile.replace('<!-- marker -->', `<p id="hostile">${injected}</p>`));

    // Assess
    expect(await page.title()).not.toBe('pwned');
    expect(await page.locator('#hostile img, #hostile script').count()).toBe(0);
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered
    expect(await page.innerText('#hostile')).toContain('<img src=x');
  });
});
