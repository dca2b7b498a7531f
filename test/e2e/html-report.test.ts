// The HTML report of the demo world, opened in a real browser (Debian's chromium, headless): what a person sees
// is the summary, what the audit could not see before any finding, the findings with their fixes, the clusters'
// reach and the CA-expiry timeline; and a hostile value stays text. .ci/run installs chromium; elsewhere the test
// is skipped, loudly, unless CI=true, where a missing browser fails it.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../../scripts/sandbox-processes.ts';
import { useDemoSandbox } from './support/demo.ts';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
if (!CHROMIUM && !process.env.CI)
  console.warn('html-report.test.ts: no chromium (apt-get install chromium): skipped');

/** Console errors and CSP violations the page reports: a blocked script or style shows up here. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') seen.push(message.text());
  });
  page.on('pageerror', (error) => seen.push(error.message));
  return seen;
}

describe.skipIf(!CHROMIUM && !process.env.CI)('the HTML report of the demo world, in a browser', () => {
  const demo = useDemoSandbox();
  let browser: Browser;
  let dir: string;
  let html: string;
  const criticals = () =>
    demo.world.expectedFindings.filter((finding) => finding.severity === 'critical').length;
  let file: string | undefined;
  /** The demo world's page, written once. */
  const saved = async () => {
    file ??= join(dir, 'demo.html');
    await writeFile(file, html);
    return file;
  };

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

  it.each([390, 1400])(
    'fits a %i px wide window: long ARNs wrap and fixes scroll inside their own block, never the page',
    async (width) => {
      // Prepare
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const violations = cspViolations(page);

      // Act
      await page.goto(`file://${await saved()}`);
      const measured = {
        page: await page.$eval('html', (root) => root.scrollWidth),
        fixes: await page.$$eval('pre', (pres) =>
          pres.map((pre) => {
            const style = pre.ownerDocument.defaultView?.getComputedStyle(pre);
            return {
              style: style?.whiteSpace,
              overflow: style?.overflowX,
              right: pre.getBoundingClientRect().right,
            };
          }),
        ),
      };

      // Assess
      expect(measured.page).toBeLessThanOrEqual(width);
      expect(measured.fixes.length).toBeGreaterThan(10);
      for (const fix of measured.fixes) {
        expect(fix).toMatchObject({ style: 'pre', overflow: 'auto' });
        expect(fix.right).toBeLessThanOrEqual(width);
      }
      expect(violations).toEqual([]);
    },
  );

  it('marks every finding with its severity in colour and in words, and links its check to the docs', async () => {
    // Prepare
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

    // Act
    await page.goto(`file://${await saved()}`);
    const findings = await page.$$eval('.finding', (elements) =>
      elements.map((el) => ({
        severity: el.getAttribute('data-severity'),
        badge: el.querySelector('.badge')?.textContent,
        border: el.ownerDocument.defaultView?.getComputedStyle(el).borderLeftColor,
        docs: el.querySelector('a')?.getAttribute('href'),
        check: el.getAttribute('data-check'),
      })),
    );

    // Assess
    expect(findings.length).toBeGreaterThan(10);
    const borders = new Map<string, Set<string>>();
    for (const finding of findings) {
      expect(finding.badge).toBe(finding.severity?.toUpperCase());
      expect(finding.docs).toMatch(new RegExp(`/docs/checks\\.md#${finding.check}$`));
      borders.set(
        finding.severity ?? '',
        (borders.get(finding.severity ?? '') ?? new Set()).add(finding.border),
      );
    }
    // One colour per severity, a different one for each.
    expect([...borders.values()].every((colours) => colours.size === 1)).toBe(true);
    expect(new Set([...borders.values()].flatMap((colours) => [...colours])).size).toBe(borders.size);
  });

  it('shows the tool version, the scope labelled, and the overview by account and by check', async () => {
    // Prepare
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const { version } = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string };

    // Act
    await page.goto(`file://${await saved()}`);
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered
    const text = await page.innerText('body');

    // Assess
    expect(text).toContain(`eks-oidc-auditor ${version}`);
    expect(text).toMatch(/in scope: 4 accounts, 6 regions; audited: 3 accounts, 5 regions/);
    expect(text).toMatch(/Open findings by account and severity[\s\S]*Open findings by check/);
    const checks = await page.$$eval(
      '.finding',
      (els) => new Set(els.map((el) => el.getAttribute('data-check'))).size,
    );
    const rows = await page.locator('h3:has-text("Open findings by check") + .scroll tr').count();
    expect(rows - 1).toBe(checks);
  });

  it('filters by severity, account and check, and searches the text, with no CSP violation', async () => {
    // Prepare
    const page = await browser.newPage({ viewport: { width: 390, height: 900 } });
    const violations = cspViolations(page);
    await page.goto(`file://${await saved()}`);
    const visible = () => page.locator('.finding:visible').count();
    const all = await page.locator('.finding').count();

    // Act and Assess: one filter at a time, then all cleared
    await page.selectOption('select[name=severity]', 'critical');
    expect(await visible()).toBe(criticals());
    expect(
      await page
        .locator('.finding:visible')
        .evaluateAll((els) => [...new Set(els.map((el) => el.getAttribute('data-severity')))]),
    ).toEqual(['critical']);
    await page.selectOption('select[name=severity]', '');
    await page.selectOption('select[name=account]', '222222222222');
    const inAccount = await page.locator('.finding[data-account="222222222222"]').count();
    expect(await visible()).toBe(inAccount);
    expect(inAccount).toBeLessThan(all);
    await page.selectOption('select[name=account]', '');
    await page.selectOption('select[name=check]', 'trust-no-sub');
    expect(
      await page
        .locator('.finding:visible')
        .evaluateAll((els) => [...new Set(els.map((el) => el.getAttribute('data-check')))]),
    ).toEqual(['trust-no-sub']);
    await page.selectOption('select[name=check]', '');
    await page.fill('input[name=text]', 'orders-WORKER');
    const found = await page.locator('.finding:visible').allTextContents();
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((text) => text.toLowerCase().includes('orders-worker'))).toBe(true);
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered
    expect(await page.innerText('#shown')).toBe(`${found.length} of ${all} findings shown`);
    await page.fill('input[name=text]', '');
    expect(await visible()).toBe(all);
    expect(violations).toEqual([]);
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
