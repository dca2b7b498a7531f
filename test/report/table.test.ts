import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/report/table.ts';
import { ACCOUNT, aFinding, aReport, OTHER_ACCOUNT } from '../publish/support.ts';

describe('the table', () => {
  it('says what the run could not see before any finding, naming the blind accounts', () => {
    // Prepare
    const report = aReport({
      findings: [aFinding('app')],
      accounts: [ACCOUNT, OTHER_ACCOUNT],
      coverage: { pairsInScope: 4, pairsAudited: 2, percent: 50, blindAccounts: [OTHER_ACCOUNT] },
      accountNames: { [OTHER_ACCOUNT]: 'payments' },
    });

    // Act
    const lines = renderTable(report, { color: false, width: 120 }).split('\n');

    // Assess
    expect(lines[2]).toBe(
      `coverage: 50% of 4 account × region pairs; could not read at all: payments (${OTHER_ACCOUNT})`,
    );
  });

  it('adds no coverage line when the run saw everything', () => {
    // Act
    const table = renderTable(aReport({ findings: [aFinding('app')] }), { color: false, width: 120 });

    // Assess
    expect(table).not.toContain('coverage:');
  });

  it.each([
    [
      'a command',
      'aws iam update-assume-role-policy --role-name app --policy-document file://trust.json',
      '--policy-document file://trust.json',
    ],
    [
      'a command with a quoted value of many words',
      "aws iam tag-role --tags 'Key=owner,Value=platform team of payments' --role-name app --region us-east-1",
      "'Key=owner,Value=platform team of payments'",
    ],
    [
      'a pipeline',
      'openssl s_client -connect oidc.eks.us-east-1.amazonaws.com:443 -servername oidc.eks.us-east-1.amazonaws.com -showcerts </dev/null | openssl x509 -noout -fingerprint -sha1',
      '-fingerprint -sha1',
    ],
  ])(
    'wraps %s as one shell command: lines end in " \\", and no quoted value is broken',
    (_name, command, whole) => {
      // Prepare: a terminal narrower than the command
      const finding = { ...aFinding('app'), remediation: ['# first the policy', command].join('\n') };

      // Act
      const lines = renderTable(aReport({ findings: [finding] }), { color: false, width: 60 }).split('\n');

      // Assess: the lines from the command on, read as a shell reads them, give the command back
      const start = lines.findIndex((line) =>
        line.trimStart().startsWith(command.slice(0, command.indexOf(' '))),
      );
      const end = lines.findIndex((line, i) => i >= start && !line.endsWith(' \\'));
      const printed = lines.slice(start, end + 1);
      expect(printed.length).toBeGreaterThan(1);
      expect(printed.every((line) => line.length <= 60)).toBe(true);
      expect(printed.map((line) => line.trimStart().replace(/ \\$/, '')).join(' ')).toBe(command);
      expect(printed.some((line) => line.includes(whole))).toBe(true);
    },
  );

  it.each([
    ['prose', 'Add to the statement trusting pods.eks.amazonaws.com: ', ''],
    ['prose with text after it', 'In the trust policy of role app, allow it with ', ' and nothing else'],
    ['a comment', '# trust.json: add ', ''],
  ])(
    'puts a JSON fragment in %s on a line of its own, whole, however narrow the terminal',
    (_name, before, after) => {
      // Prepare: a Condition block whose strings hold spaces, as the Pod Identity fix has them
      const json = JSON.stringify({
        Condition: {
          StringEquals: {
            'aws:RequestTag/kubernetes-service-account': '<service account>',
            'aws:SourceAccount': ACCOUNT,
          },
        },
      });
      const finding = { ...aFinding('app'), remediation: `${before}${json}${after}` };

      // Act
      const lines = renderTable(aReport({ findings: [finding] }), { color: false, width: 60 })
        .split('\n')
        .map((line) => line.trim());

      // Assess: one line holds the JSON alone (a comment keeps its `# `), and the text around it is all there
      const alone = lines.filter((line) => line.replace(/^# /, '') === json);
      expect(alone).toHaveLength(1);
      expect(lines.filter((line) => line.includes('<service'))).toEqual(alone);
      const fix = lines.slice(lines.findIndex((line) => line.startsWith('fix: ')));
      const words = fix.join(' ').split(' ');
      for (const word of `${before}${after}`.split(' ').filter(Boolean)) expect(words).toContain(word);
      expect(fix.filter((line) => !alone.includes(line)).every((line) => line.length <= 54)).toBe(true);
    },
  );

  it('wraps text around braces that are no JSON as text', () => {
    // Prepare
    const remediation =
      'Replace the {placeholder} in the policy with the cluster name of each role that uses it';
    const finding = { ...aFinding('app'), remediation };

    // Act
    const lines = renderTable(aReport({ findings: [finding] }), { color: false, width: 60 })
      .split('\n')
      .map((line) => line.trim());

    // Assess
    const from = lines.findIndex((line) => line.startsWith('fix: Replace'));
    expect(lines[from]).toContain('{placeholder}');
    expect(lines.slice(from).every((line) => line.length <= 54)).toBe(true);
  });

  it('wraps a long comment as comments and prose as text', () => {
    // Prepare
    const comment =
      '# the issuer chain was not read; find the CA certificates it serves and keep at most four of them';
    const prose =
      'Give each cluster or issuer its own role, so role shared-reader trusts exactly one issuer from now on';
    const finding = { ...aFinding('app'), remediation: [prose, comment].join('\n') };

    // Act
    const lines = renderTable(aReport({ findings: [finding] }), { color: false, width: 60 })
      .split('\n')
      .map((line) => line.trimStart());

    // Assess
    const from = lines.findIndex((line) => line.startsWith('# the issuer'));
    const commentLines = lines.slice(from).filter((line) => line !== '' && !line.startsWith('EKS'));
    expect(commentLines.length).toBeGreaterThan(1);
    expect(commentLines.every((line) => line.startsWith('#'))).toBe(true);
    expect(lines.slice(0, from).some((line) => line.includes('\\'))).toBe(false);
    expect(lines.some((line) => line.startsWith('fix: Give each cluster'))).toBe(true);
  });
});
