// What the run could not see reaches the dashboard and the digest: Coverage and BlindAccounts metrics, and the
// blind accounts named (with the organization's names) at the top of every digest.
import { describe, expect, it } from 'vitest';
import { planAlerts } from '../../src/publish/alert-plan.ts';
import { splitDigest } from '../../src/publish/digest-split.ts';
import { buildMetricData, METRIC } from '../../src/publish/metrics.ts';
import { ACCOUNT, aFinding, aReport, OTHER_ACCOUNT, T0 } from './support.ts';

const POLICY = { minSeverity: 'high' as const, reminderDays: 0 };

function blindReport() {
  const lost = aFinding('lost', {
    check: 'audit-error',
    severity: 'high',
    accountId: OTHER_ACCOUNT,
    resource: `account:${OTHER_ACCOUNT}`,
    message: `Could not audit account ${OTHER_ACCOUNT} (assume-role): AccessDenied: not authorized`,
  });
  return aReport({
    findings: [lost],
    accounts: [ACCOUNT, OTHER_ACCOUNT],
    coverage: { pairsInScope: 2, pairsAudited: 1, percent: 50, blindAccounts: [OTHER_ACCOUNT] },
    accountNames: { [ACCOUNT]: 'security', [OTHER_ACCOUNT]: 'payments\n\u001b[2JRESOLVED' },
  });
}

describe('blind spots in metrics and alerts', () => {
  it('publishes Coverage in percent and the number of blind accounts', () => {
    // Act
    const data = buildMetricData(blindReport(), { perAccount: false });

    // Assess
    const byName = (name: string) => data.filter((d) => d.MetricName === name).map((d) => [d.Value, d.Unit]);
    expect(byName(METRIC.coverage)).toEqual([[50, 'Percent']]);
    expect(byName(METRIC.blindAccounts)).toEqual([[1, 'Count']]);
  });

  it('publishes 100% and 0 blind accounts for a run that saw everything', () => {
    // Act
    const data = buildMetricData(aReport(), { perAccount: false });

    // Assess
    expect(data.find((d) => d.MetricName === METRIC.coverage)?.Value).toBe(100);
    expect(data.find((d) => d.MetricName === METRIC.blindAccounts)?.Value).toBe(0);
  });

  it('alerts a lost account as new and names it, with its escaped organization name, in the digest', () => {
    // Prepare
    const report = blindReport();

    // Act
    const plan = planAlerts(report, [], POLICY, { now: T0 });
    const [part] = splitDigest({ digestId: 'd', report, policy: POLICY }, plan.transitions);
    const email = (JSON.parse(part?.message ?? '{}') as { email: string }).email;

    // Assess
    expect(plan.transitions.map((t) => `${t.kind} ${t.finding.resource}`)).toEqual([
      `new account:${OTHER_ACCOUNT}`,
    ]);
    expect(email).toContain('Coverage: 50% (1 of 2 account × region pairs audited).');
    expect(email).toContain(
      `Blind: 1 account could not be read at all: payments\\n\\x1b[2JRESOLVED (${OTHER_ACCOUNT}).`,
    );
    expect(email.split('\n').some((line) => line.startsWith('RESOLVED'))).toBe(false);
    expect(email).toContain(`Account payments\\n\\x1b[2JRESOLVED (${OTHER_ACCOUNT})`);
  });

  it('says nothing of coverage in the digest of a run that saw everything', () => {
    // Prepare
    const report = aReport({ findings: [aFinding('open')] });

    // Act
    const plan = planAlerts(report, [], POLICY, { now: T0 });
    const [part] = splitDigest({ digestId: 'd', report, policy: POLICY }, plan.transitions);

    // Assess
    expect(part?.message).not.toContain('Coverage:');
    expect(part?.message).not.toContain('Blind:');
  });
});
