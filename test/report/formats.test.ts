import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/model/catalog.ts';
import { csvField, csvLines } from '../../src/report/csv.ts';
import { filterReport } from '../../src/report/filter.ts';
import { htmlChunks } from '../../src/report/html.ts';
import { SCRIPT } from '../../src/report/html-assets.ts';
import { ocsfFinding, ocsfLines } from '../../src/report/ocsf.ts';
import { DOCS_BASE_URL } from '../../src/report/tool.ts';
import { ACCOUNT, aFinding, aReport } from '../publish/support.ts';
import { readCsv } from '../support/csv-reader.ts';
import { aCluster } from '../support/inventory.ts';

const PRODUCT = { name: 'eks-oidc-auditor', version: '1.2.3' };

/** A format's pieces as the one text they make. */
const joined = (chunks: Iterable<string>) => [...chunks].join('');

describe('--format csv', () => {
  it('writes a header and one RFC 4180 row per finding, quoting commas, quotes and line breaks', () => {
    // Prepare: a remediation of two steps (a line break) and a message with a comma and quotes
    const finding = aFinding('app', { message: 'Role app, statement 1: "*" lets anyone in' });
    const report = aReport({ findings: [finding], accountNames: { [ACCOUNT]: 'prod' } });

    // Act
    const csv = joined(csvLines(report));

    // Assess
    const [header, row, end] = csv.split('\r\n');
    expect(header).toBe(
      'id,check,severity,account_id,account_name,region,resource,cluster,message,remediation,muted_reason',
    );
    expect(row).toContain(`${finding.id},trust-no-sub,critical,${ACCOUNT},prod,,`);
    expect(row).toContain('"Role app, statement 1: ""*"" lets anyone in"');
    expect(csv).toContain(`"${finding.remediation.replaceAll('"', '""')}"`);
    expect(end).toBe('');
  });

  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['plain', 'plain'],
    ['a;b', '"a;b"'],
    ["ops;=cmd|' /C calc'!A0", `"ops;'=cmd|' /C calc'!A0"`],
    ['x|@SUM(A1)', `"x|'@SUM(A1)"`],
    ['one\n -two', `"one\n '-two"`],
    ['say "=1"', `"say ""'=1"""`],
    ['a-b, c=d', '"a-b, c=d"'],
  ])('keeps %j from being read as a spreadsheet formula', (value, expected) => {
    // Act
    const field = csvField(value);

    // Assess
    expect(field).toBe(expected);
  });
});

describe('--format csv opened in any locale', () => {
  const FORMULA = /^ *[=+\-@\t\r]/;
  const HOSTILE = ["ops;=cmd|' /C calc'!A0", 'x,+1;-2\t@3|=4', 'line\r\n=HYPERLINK("http://x")', 'q";=1'];

  /** A report whose account names, resources, clusters and messages are all hostile, as AWS could hand them. */
  function hostileReport() {
    const accountId = (i: number) => String(100000000000 + i);
    const findings = HOSTILE.map((text, i) =>
      aFinding(`r${i}`, { accountId: accountId(i), resource: text, message: text, cluster: text }),
    );
    const accountNames = Object.fromEntries(HOSTILE.map((text, i) => [accountId(i), text]));
    return aReport({ findings, accountNames });
  }

  it.each([',', ';', '\t', '|'])(
    'has no cell that starts a formula when read with %j as the separator',
    (sep) => {
      // Prepare
      const csv = joined(csvLines(hostileReport()));

      // Act
      const cells = readCsv(csv, sep).flat();

      // Assess
      expect(cells.length).toBeGreaterThan(HOSTILE.length);
      expect(cells.filter((cell) => FORMULA.test(cell))).toEqual([]);
    },
  );

  it('finds live formula cells with `;` when values are only neutralised at their start (the reader can fail)', () => {
    // Prepare: the rule before this one, applied by hand
    const naive = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
    const csv = `a,${naive("ops;=cmd|' /C calc'!A0")}\r\n`;

    // Act
    const cells = readCsv(csv, ';').flat();

    // Assess
    expect(cells.filter((cell) => FORMULA.test(cell))).toEqual(["=cmd|' /C calc'!A0"]);
  });

  it('reads back every value unchanged with `,` when nothing in it could start a formula', () => {
    // Prepare: a fix of two steps with quotes, and a message and an account name with every separator
    const finding = aFinding('app', { message: 'a, b; c | "d" end' });
    const report = aReport({ findings: [finding], accountNames: { [ACCOUNT]: 'team;prod' } });

    // Act
    const [header = [], row = []] = readCsv(joined(csvLines(report)), ',');

    // Assess
    const cell = (name: string) => row[header.indexOf(name)];
    expect(cell('account_name')).toBe('team;prod');
    expect(cell('message')).toBe('a, b; c | "d" end');
    expect(cell('remediation')).toBe(finding.remediation);
  });
});

describe('--format ocsf', () => {
  it('gives each finding the fields OCSF requires of a Detection Finding (class 2004)', () => {
    // Prepare
    const finding = aFinding('app', { region: 'us-east-1', cluster: 'prod' });
    const report = aReport({ findings: [finding], accountNames: { [ACCOUNT]: 'prod' } });

    // Act
    const event = ocsfFinding(finding, report, PRODUCT);

    // Assess: the required attributes of the class and of its finding_info and metadata objects
    expect(event).toMatchObject({
      activity_id: 1,
      category_uid: 2,
      class_uid: 2004,
      type_uid: 200401,
      severity_id: 5,
      time: Date.parse(report.finishedAt),
      finding_info: { uid: finding.id, title: expect.stringContaining('trust-no-sub') },
      metadata: { version: '1.4.0', product: { name: 'eks-oidc-auditor', version: '1.2.3' } },
      cloud: { provider: 'AWS', region: 'us-east-1', account: { uid: ACCOUNT, name: 'prod' } },
      resources: [{ uid: finding.resource, name: 'prod', cloud_partition: 'aws' }],
      remediation: { desc: finding.remediation, references: [CATALOG['trust-no-sub'].docs] },
    });
  });

  it.each([
    ['critical', 5],
    ['high', 4],
    ['medium', 3],
    ['low', 2],
    ['info', 1],
  ] as const)('maps severity %s to severity_id %i', (severity, id) => {
    // Act
    const event = ocsfFinding(aFinding('x', { severity }), aReport(), PRODUCT);

    // Assess
    expect(event.severity_id).toBe(id);
  });

  it('marks an accepted risk Suppressed, with its reason', () => {
    // Prepare
    const finding = { ...aFinding('app'), muted: { reason: 'by design (SEC-42)', entry: 1 } };

    // Act
    const event = ocsfFinding(finding, aReport({ findings: [finding] }), PRODUCT);

    // Assess
    expect(event).toMatchObject({ status_id: 3, status: 'Suppressed', status_detail: 'by design (SEC-42)' });
  });

  it('writes one JSON object per line, in the report order', () => {
    // Prepare
    const report = aReport({ findings: [aFinding('a'), aFinding('b')] });

    // Act
    const lines = joined(ocsfLines(report, PRODUCT)).trimEnd().split('\n');

    // Assess
    expect(
      lines.map((line) => (JSON.parse(line) as { finding_info: { uid: string } }).finding_info.uid),
    ).toEqual(report.findings.map((finding) => finding.id));
  });
});

describe('filters', () => {
  const findings = [
    aFinding('a', { severity: 'critical' }),
    aFinding('b', { check: 'audit-error', severity: 'high' }),
    aFinding('c', { check: 'audience-extra', severity: 'info' }),
  ];

  it.each([
    {
      name: '--severity high',
      filter: { minSeverity: 'high' as const },
      kept: ['trust-no-sub', 'audit-error'],
    },
    {
      name: '--checks audience-extra',
      filter: { checks: ['audience-extra' as const] },
      kept: ['audience-extra'],
    },
    {
      name: '--exclude-checks audit-error',
      filter: { excludeChecks: ['audit-error' as const] },
      kept: ['trust-no-sub', 'audience-extra'],
    },
  ])('$name keeps what it asks for and says how many it hides', ({ filter, kept }) => {
    // Act
    const report = filterReport(aReport({ findings }), filter);

    // Assess
    expect(report.findings.map((finding) => finding.check)).toEqual(kept);
    expect(report.filtered?.hiddenFindings).toBe(findings.length - kept.length);
  });

  it('leaves the report as it is when nothing is asked', () => {
    // Prepare
    const report = aReport({ findings });

    // Act
    const same = filterReport(report, {});

    // Assess
    expect(same).toBe(report);
  });
});

describe('--format html', () => {
  it('writes every value from AWS as text, and loads nothing from outside the page', () => {
    // Prepare: markup in a message, an account id and name, a region, and the suppression file's entries
    const hostile = '"><img src=x onerror=alert(1)>';
    const finding = aFinding('app', {
      message: '<script>alert(1)</script> & "quotes"',
      accountId: hostile,
      region: hostile,
      muted: { entry: 1, reason: hostile, expires: hostile },
    });
    const report = {
      ...aReport({ findings: [finding], accountNames: { [ACCOUNT]: '<b>prod</b>', [hostile]: hostile } }),
      suppressions: { source: hostile, entries: 2, stale: [{ entry: 2, reason: hostile }], expired: [] },
    };

    // Act
    const html = joined(htmlChunks(report));

    // Assess
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(html).not.toContain('<img');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    // The one script is the page's own, admitted by its hash; nothing is loaded, links go to the docs only.
    expect([...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1])).toEqual([SCRIPT]);
    const hash = createHash('sha256').update(SCRIPT).digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<(img|iframe|link|object|embed|video|audio|source)\b/i);
    const links = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((link) => link?.startsWith(DOCS_BASE_URL))).toBe(true);
  });

  it('lists the suppression entries past their date and those matching nothing, as the table does', () => {
    // Prepare
    const report = {
      ...aReport({ findings: [aFinding('app')] }),
      suppressions: {
        source: 'mutes.yaml',
        entries: 3,
        stale: [{ entry: 2, reason: 'old CI role' }],
        expired: [{ entry: 3, reason: 'migration (SEC-9)', expires: '2026-01-31' }],
      },
    };

    // Act
    const html = joined(htmlChunks(report));

    // Assess
    expect(html).toContain('Suppressions mutes.yaml: 3 entries; 1 expired, 1 matching nothing');
    expect(html).toContain('entry #3, expired 2026-01-31 (mutes nothing any more): migration (SEC-9)');
    expect(html).toContain('entry #2, matching nothing in this run: old CI role');
  });

  it("lists a Pod Identity association's session policy in the reach table, as text", () => {
    // Prepare
    const policy = '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"<arn>"}]}';
    const role = {
      roleArn: `arn:aws:iam::${ACCOUNT}:role/app`,
      via: 'pod-identity' as const,
      sessionPolicy: policy,
      subjects: ['apps:web'],
      breadth: 'exact' as const,
    };
    const { kubernetes: _inventorySide, ...cluster } = aCluster({ name: 'prod' });
    const report = { ...aReport(), clusters: [{ ...cluster, assumableRoles: [role] }] };

    // Act
    const html = joined(htmlChunks(report));

    // Assess
    expect(html).toContain('session policy:');
    expect(html).toContain('&quot;Resource&quot;:&quot;&lt;arn&gt;&quot;');
  });

  it('groups findings by severity, then by account in the order accounts first appear', () => {
    // Prepare: two accounts' findings interleaved
    const other = '222233334444';
    const findings = [
      aFinding('a1'),
      aFinding('b1', { accountId: other }),
      aFinding('a2'),
      aFinding('b2', { accountId: other }),
    ];

    // Act
    const html = joined(htmlChunks(aReport({ findings })));

    // Assess: one heading per account, each followed by its own findings
    const order = [...html.matchAll(/Account (\d{12})|Role (a1|a2|b1|b2)\b/g)].map((m) => m[1] ?? m[2]);
    expect(order).toEqual([ACCOUNT, 'a1', 'a2', other, 'b1', 'b2']);
  });

  it('comes a finding or a row at a time, so that no piece grows with the organization', () => {
    // Prepare: thousands of findings over hundreds of accounts
    const findings = Array.from({ length: 5000 }, (_, i) =>
      aFinding(`app-${i}`, { accountId: String(100000000000 + (i % 500)) }),
    );
    const report = aReport({ findings });

    // Act
    const chunks = [...htmlChunks(report)];

    // Assess
    const shown = [...chunks.join('').matchAll(/<div class="msg">Role app-(\d+):/g)].map((m) => Number(m[1]));
    expect(shown.toSorted((a, b) => a - b)).toEqual(findings.map((_, i) => i));
    expect(chunks.length).toBeGreaterThan(5000);
    expect(Math.max(...chunks.map((chunk) => chunk.length))).toBeLessThan(16 * 1024);
  });
});

describe('--format csv and ocsf for an organization', () => {
  it('come a line per finding, so that no piece grows with the organization', () => {
    // Prepare
    const findings = Array.from({ length: 3000 }, (_, i) => aFinding(`app-${i}`));
    const report = aReport({ findings });

    // Act
    const csv = [...csvLines(report)];
    const ocsf = [...ocsfLines(report, PRODUCT)];

    // Assess
    expect(csv).toHaveLength(3001);
    expect(csv.slice(1).map((line) => line.slice(0, line.indexOf(',')))).toEqual(
      report.findings.map((f) => f.id),
    );
    expect(ocsf).toHaveLength(3000);
    expect(
      ocsf.map((line) => (JSON.parse(line) as { finding_info: { uid: string } }).finding_info.uid),
    ).toEqual(report.findings.map((f) => f.id));
    expect(Math.max(...[...csv, ...ocsf].map((line) => line.length))).toBeLessThan(16 * 1024);
  });
});
