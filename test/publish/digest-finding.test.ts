// The digest's help with each finding: the symptom from the catalog, the check's docs, the report it summarises, and
// the suppression entry a reader pastes to accept the risk, which must mute exactly that finding once a reason is
// written, and nothing while it is not.
import { describe, expect, it } from 'vitest';
import { parseSuppressions } from '../../src/config/suppressions.ts';
import { CATALOG } from '../../src/model/catalog.ts';
import { planAlerts } from '../../src/publish/alert-plan.ts';
import { catalogSymptom, suppressionEntry } from '../../src/publish/digest-finding.ts';
import { splitDigest } from '../../src/publish/digest-split.ts';
import { storedReport } from '../../src/publish/report-store.ts';
import { muteFindings } from '../../src/report/mute.ts';
import { checkDocsUrl } from '../../src/report/tool.ts';
import { ACCOUNT, aFinding, aReport, OTHER_ACCOUNT, T0 } from './support.ts';

const POLICY = { minSeverity: 'low', reminderDays: 0 } as const;

/** The email of a digest of these findings, as new, with the run's reports stored. */
function emailOf(findings: ReturnType<typeof aFinding>[]): string {
  const report = aReport({ findings, accounts: [ACCOUNT, OTHER_ACCOUNT] });
  const { transitions } = planAlerts(report, [], POLICY, { now: T0 });
  const target = { bucket: 'audit-reports', region: 'us-east-1', partition: 'aws' };
  const reports = {
    json: storedReport(target, 'reports/run/report.json.gz'),
    html: storedReport(target, 'reports/run/report.html'),
  };
  const [part] = splitDigest({ digestId: 'd-1', report, policy: POLICY, reports }, transitions);
  return (JSON.parse(part?.message ?? '{}') as { email: string }).email;
}

/** The entry as a reader pastes it under `suppressions:`, with `reason` written or not. */
function pasted(lines: string[], reason?: string): string {
  const entry = lines.map((line) =>
    reason !== undefined && line.trimStart().startsWith('reason:')
      ? `  reason: ${JSON.stringify(reason)}`
      : line,
  );
  return `suppressions:\n${entry.map((line) => `  ${line}`).join('\n')}\n`;
}

describe('the suppression entry the digest offers', () => {
  it('mutes exactly its finding once a reason is written, whatever its resource holds', () => {
    // Prepare: a resource with YAML's quotes, comment and mapping marks, next to a finding it must not mute
    const hostile = aFinding("x\" #not-a-comment: {a: b} \\ 'q'");
    const neighbour = aFinding('x');
    const entry = suppressionEntry(hostile);

    // Act
    const file = parseSuppressions(pasted(entry, 'accepted in SEC-1'), 'mutes.yaml');
    const { findings } = muteFindings([hostile, neighbour], file, T0);

    // Assess
    expect(file.entries).toEqual([
      expect.objectContaining({ check: hostile.check, account: ACCOUNT, resource: hostile.resource }),
    ]);
    expect(findings.map((f) => f.muted?.entry)).toEqual([1, undefined]);
  });

  it('mutes nothing when pasted unread: the file refuses an entry without a reason', () => {
    // Prepare
    const entry = suppressionEntry(aFinding('app'));

    // Act
    const read = () => parseSuppressions(pasted(entry), 'mutes.yaml');

    // Assess
    expect(read).toThrow(/suppressions\[0\]\.reason/);
  });
});

describe('a finding in the digest', () => {
  it("says the catalog's symptom, the finding's own text, its docs, the report, and how to accept the risk", () => {
    // Prepare
    const finding = aFinding('app', { accountId: OTHER_ACCOUNT });

    // Act
    const email = emailOf([finding]);

    // Assess
    const symptom = catalogSymptom(finding.check);
    expect(symptom).toBe(CATALOG['trust-no-sub'].symptom.replaceAll('`', ''));
    expect(email).toContain(`Symptom: ${symptom}`);
    expect(email).toContain(`Finding: ${finding.message}`);
    expect(email).not.toContain(`Symptom: ${finding.message}`);
    expect(email).toContain(`Docs: ${checkDocsUrl(finding.check)}`);
    expect(email).toContain(
      'Full report: https://console.aws.amazon.com/s3/object/audit-reports?region=us-east-1',
    );
    expect(email).toContain('JSON report: s3://audit-reports/reports/run/report.json.gz');
    expect(email).toContain('To accept the risk, add to the suppression file (docs/suppressions.md):');
    for (const line of suppressionEntry(finding)) expect(email).toContain(line);
    expect(email).toContain(`account: "${OTHER_ACCOUNT}"`);
  });
});
