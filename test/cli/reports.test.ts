// Reports a team uses (issue 25, item 3): every format at once, --output in the format it names, a saved report
// rendered again with today's filters and mutes, a filtered view that says what it hides, and --list-checks in
// every format a tool reads. A saved report needs no AWS: these run the CLI in-process on files.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { REPORT_FILES } from '../../src/config/output-format.ts';
import { CATALOG, CHECK_IDS } from '../../src/model/catalog.ts';
import type { Finding } from '../../src/model/finding.ts';
import type { Report } from '../../src/report/types.ts';
import { aFinding, aReport } from '../publish/support.ts';
import { readCsv } from '../support/csv-reader.ts';
import { cliIo } from './support/cli-io.ts';

/** A saved report of one critical and one low finding, in a fresh directory. */
async function savedReport(
  findings: Finding[] = twoFindings(),
): Promise<{ dir: string; path: string; report: Report }> {
  const dir = await mkdtemp(join(tmpdir(), 'saved-'));
  const report = aReport({ findings, trigger: 'cli' });
  const path = join(dir, 'saved.json');
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return { dir, path, report };
}

function twoFindings(): Finding[] {
  return [aFinding('app'), aFinding('batch', { check: 'thumbprint-slots-full', severity: 'low' })];
}

async function render(argv: string[], tty = false) {
  const io = cliIo(argv, tty);
  const code = await runCli(io);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}

describe('eks-oidc-audit report FILE', () => {
  it('renders a saved report again in the --format asked, the same report as it was saved', async () => {
    // Prepare
    const { path, report } = await savedReport();

    // Act
    const json = await render(['report', path, '--format', 'json']);
    const csv = await render(['report', path, '--format', 'csv']);

    // Assess
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(report);
    expect(readCsv(csv.stdout, ',').map((row) => row[1])).toEqual([
      'check',
      'trust-no-sub',
      'thumbprint-slots-full',
    ]);
  });

  it('renders a gzipped report (as the report bucket keeps them) like the plain one', async () => {
    // Prepare
    const { dir, report } = await savedReport();
    const gzipped = join(dir, 'report.json.gz');
    await writeFile(gzipped, gzipSync(JSON.stringify(report)));

    // Act
    const result = await render(['report', gzipped, '--format', 'json']);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(report);
  });

  it('filters again, and the table says how many findings the filter hides; unfiltered it says nothing of it', async () => {
    // Prepare
    const { path } = await savedReport();

    // Act
    const filtered = await render(['report', path, '--format', 'table', '--severity', 'high']);
    const whole = await render(['report', path, '--format', 'table']);

    // Assess
    expect(filtered.code, filtered.stderr).toBe(0);
    expect(filtered.stdout).toContain('1 finding shown, 1 hidden by --severity high');
    expect(filtered.stdout).not.toContain('thumbprint-slots-full');
    expect(whole.stdout).toContain('thumbprint-slots-full');
    expect(whole.stdout).not.toMatch(/hidden by/);
  });

  it('applies the accepted risks of --suppressions anew: the saved mutes are dropped, the counts follow', async () => {
    // Prepare: saved with the low finding muted; today's file mutes the critical one instead
    const [critical, low] = twoFindings() as [Finding, Finding];
    const { dir, path } = await savedReport([critical, { ...low, muted: { reason: 'old', entry: 1 } }]);
    const mutes = join(dir, 'mutes.yaml');
    await writeFile(
      mutes,
      'suppressions:\n  - reason: "break-glass role (SEC-9)"\n    check: trust-no-sub\n',
    );

    // Act
    const result = await render([
      'report',
      path,
      '--format',
      'json',
      '--suppressions',
      mutes,
      '--fail-on',
      'high',
    ]);

    // Assess: nothing high is left unmuted, so --fail-on high passes
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.map((f) => f.muted?.reason)).toEqual(['break-glass role (SEC-9)', undefined]);
    expect(report.summary.findings).toMatchObject({ critical: 0, low: 1 });
    expect(report.summary.muted).toBe(1);
  });

  it('keeps the exit codes of a run: 2 at --fail-on, 1 for a report that read nothing', async () => {
    // Prepare
    const { path } = await savedReport();
    const blind = await savedReport([]);
    const nothingRead = { ...blind.report };
    nothingRead.summary = {
      ...nothingRead.summary,
      coverage: { pairsInScope: 1, pairsAudited: 0, percent: 0, blindAccounts: [] },
    };
    await writeFile(blind.path, JSON.stringify(nothingRead));

    // Act
    const failing = await render(['report', path, '--format', 'json', '--fail-on', 'high']);
    const passing = await render([
      'report',
      path,
      '--format',
      'json',
      '--fail-on',
      'critical',
      '--exclude-checks',
      'trust-no-sub',
    ]);
    const empty = await render(['report', blind.path, '--format', 'json']);

    // Assess
    expect(failing.code).toBe(2);
    expect(passing.code).toBe(0);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('coverage 0%');
  });

  it('says what a file is when it is not a report, naming the file, before printing anything', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'not-a-report-'));
    const files = {
      part: join(dir, 'shard-1.json.gz'),
      other: join(dir, 'other.json'),
      text: join(dir, 'notes.txt'),
      finding: join(dir, 'bad-finding.json'),
    };
    await writeFile(files.part, gzipSync(JSON.stringify({ format: 'eks-oidc-audit-part', version: 1 })));
    await writeFile(files.other, JSON.stringify({ Findings: [] }));
    await writeFile(files.text, 'hello');
    const report = aReport({ findings: [aFinding('app')] });
    await writeFile(
      files.finding,
      JSON.stringify({ ...report, findings: [{ ...report.findings[0], check: 'trust-nosub' }] }),
    );

    // Act
    const results = {
      part: await render(['report', files.part]),
      other: await render(['report', files.other]),
      text: await render(['report', files.text]),
      finding: await render(['report', files.finding]),
      missing: await render(['report', join(dir, 'gone.json')]),
    };

    // Assess
    for (const result of Object.values(results)) {
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
    }
    expect(results.part.stderr).toContain(
      `report ${files.part}: an inventory part of a split audit (--part-out), not a report; judge the parts`,
    );
    expect(results.other.stderr).toContain(
      `report ${files.other}: not a report of this tool: schemaVersion: expected 1`,
    );
    expect(results.text.stderr).toContain(`report ${files.text}: not JSON`);
    expect(results.finding.stderr).toContain('findings[0].check: expected a check id of this version');
    expect(results.missing.stderr).toContain('gone.json: no such file');
  });

  it.each([
    {
      argv: ['report'],
      error: 'report: expected one saved JSON report (eks-oidc-audit report FILE --format html), got none',
    },
    { argv: ['report', 'a.json', 'b.json'], error: 'got a.json b.json' },
    {
      argv: ['report', 'a.json', '--accounts', 'org'],
      error: 'flag --accounts: `report` renders a saved report again and reads nothing from AWS',
    },
    { argv: ['report', 'a.json', '--publish'], error: 'flag --publish: `report` renders' },
  ])('refuses $argv as a usage error', async ({ argv, error }) => {
    // Act
    const result = await render(argv);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(error);
  });

  it('names a saved report given to --merge, with the command that renders it, instead of an inflater error', async () => {
    // Prepare
    const { path } = await savedReport();

    // Act
    const result = await render(['--merge', path]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `flag --merge: ${path} is JSON, a saved report perhaps, not a shard's part`,
    );
    expect(result.stderr).toContain(`eks-oidc-audit report ${path}`);
    expect(result.stderr).not.toContain('Z_DATA_ERROR');
  });
});

describe('--output and --output-dir', () => {
  it.each([
    { argv: ['--output', 'out.html'], starts: '<!doctype html>' },
    { argv: ['--format', 'html', '--output', 'out.html'], starts: '<!doctype html>' },
    { argv: ['--format', 'csv', '--output', 'out.dat'], starts: 'id,check,severity' },
    { argv: ['--output', 'out.txt'], starts: 'EKS OIDC audit' },
    { argv: ['--output', 'out.ocsf.json'], starts: '{"activity_id":1' },
    { argv: ['--output', 'out.dat'], starts: '{\n  "schemaVersion": 1' },
  ])(
    '$argv writes the format it names, --format first, else the extension, else JSON',
    async ({ argv, starts }) => {
      // Prepare
      const { dir, path } = await savedReport();
      const file = join(dir, argv.at(-1) as string);
      const args = argv.map((arg, index) => (index === argv.length - 1 ? file : arg));

      // Act
      const result = await render(['report', path, ...args]);

      // Assess
      expect(result.code, result.stderr).toBe(0);
      expect((await readFile(file, 'utf8')).slice(0, starts.length)).toBe(starts);
    },
  );

  it('refuses --format csv with --output x.html before anything is written', async () => {
    // Prepare
    const { dir, path } = await savedReport();

    // Act
    const result = await render(['report', path, '--format', 'csv', '--output', join(dir, 'x.html')]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('x.html is named as html but --format is csv');
    expect(await readdir(dir)).toEqual(['saved.json']);
  });

  it('--output-dir writes every format, each the same findings, and says where', async () => {
    // Prepare
    const { dir, path, report } = await savedReport();
    const out = join(dir, 'reports', 'today');

    // Act
    const result = await render(['report', path, '--output-dir', out, '--format', 'json']);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(Object.values(REPORT_FILES).sort());
    const read = (format: keyof typeof REPORT_FILES) => readFile(join(out, REPORT_FILES[format]), 'utf8');
    expect(JSON.parse(await read('json'))).toEqual(report);
    expect(readCsv(await read('csv'), ',')).toHaveLength(1 + report.findings.length);
    const ocsf = (await read('ocsf'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { finding_info: { uid: string } });
    expect(ocsf.map((o) => o.finding_info.uid)).toEqual(report.findings.map((f) => f.id));
    expect(await read('html')).toMatch(/^<!doctype html>/);
    expect(await read('table')).toContain('CRITICAL (1)');
    expect(await read('table')).not.toContain('\x1b[');
    expect(result.stderr).toContain(
      `report written to ${out}: report.json, report.csv, report.ocsf.jsonl, report.html, report.txt`,
    );
  });

  it('--output-dir that cannot be made is refused before anything runs', async () => {
    // Prepare: a file where the directory should be
    const { path } = await savedReport();

    // Act
    const result = await render(['report', path, '--output-dir', join(path, 'sub')]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`--output-dir ${join(path, 'sub')}:`);
    expect(result.stdout).toBe('');
  });
});

describe('--list-checks', () => {
  it.each([
    { format: 'table', severity: undefined, tty: true },
    { format: 'table', severity: 'high', tty: true },
    { format: 'json', severity: 'high', tty: false },
    { format: 'csv', severity: 'critical', tty: false },
    { format: 'csv', severity: undefined, tty: false },
  ])(
    'prints $format, with --severity $severity only the checks that can reach it',
    async ({ format, severity, tty }) => {
      // Prepare
      const expected = CHECK_IDS.filter(
        (id) =>
          severity === undefined ||
          CATALOG[id].severities.some((s) => s === 'critical' || (severity === 'high' && s === 'high')),
      );

      // Act
      const result = await render(
        ['--list-checks', '--format', format, ...(severity ? ['--severity', severity] : [])],
        tty,
      );

      // Assess
      expect(result.code, result.stderr).toBe(0);
      const listed =
        format === 'json'
          ? (JSON.parse(result.stdout) as { id: string }[]).map((entry) => entry.id)
          : format === 'csv'
            ? readCsv(result.stdout, ',')
                .slice(1)
                .map((row) => row[0])
            : result.stdout.split('\n').flatMap((line) => /^ {2}(\S+)/.exec(line)?.[1] ?? []);
      // The table groups the checks by family; the data formats keep the catalog's order.
      const order = (ids: (string | undefined)[]) => (format === 'table' ? ids.toSorted() : ids);
      expect(order(listed)).toEqual(order(expected));
      expect(expected.length).toBeLessThan(severity ? CHECK_IDS.length : Infinity);
    },
  );

  it('prints a table with one heading per family and its severity column aligned', async () => {
    // Act
    const { stdout } = await render(['--list-checks'], true);

    // Assess
    const headings = stdout.split('\n').filter((line) => /^\S/.test(line));
    expect(new Set(headings).size).toBe(headings.length);
    const rows = stdout.split('\n').filter((line) => line.startsWith('  '));
    const columns = new Set(rows.map((line) => /^ {2}\S+ +/.exec(line)?.[0].length));
    const descriptions = new Set(rows.map((line) => /^ {2}\S+ +\S+( \/ \S+)* +/.exec(line)?.[0].length));
    expect(columns.size).toBe(1);
    expect(descriptions.size).toBe(1);
  });

  it('refuses a format it has no use for', async () => {
    // Act
    const result = await render(['--list-checks', '--format', 'html']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('flag --format: --list-checks prints table, json or csv, not html');
  });
});
