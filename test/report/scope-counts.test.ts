// The table, the page and the digest say the run's reach with the same labelled numbers: what was in scope and
// what was audited, never one of them unlabelled.
import { describe, expect, it } from 'vitest';
import { planAlerts } from '../../src/publish/alert-plan.ts';
import { splitDigest } from '../../src/publish/digest-split.ts';
import { htmlChunks } from '../../src/report/html.ts';
import { renderTable } from '../../src/report/table.ts';
import { ACCOUNT, aFinding, aReport, OTHER_ACCOUNT, REGION, T0 } from '../publish/support.ts';

const POLICY = { minSeverity: 'low', reminderDays: 0 } as const;

describe('the counts of the run in table, page and digest', () => {
  it('label what was in scope and what was audited, with the same numbers in all three', () => {
    // Prepare: three accounts and three regions in scope, one account and two regions read
    const whole = aReport({
      findings: [aFinding('app')],
      accounts: [ACCOUNT, OTHER_ACCOUNT, '555566667777'],
      regions: [REGION, 'eu-west-1', 'ap-east-1'],
    });
    const report = { ...whole, summary: { ...whole.summary, accounts: 1, regions: 2 } };
    const expected = 'in scope: 3 accounts, 3 regions; audited: 1 account, 2 regions';

    // Act
    const table = renderTable(report, { color: false, width: 120 });
    const page = [...htmlChunks(report)].join('');
    const { transitions } = planAlerts(report, [], POLICY, { now: T0 });
    const [part] = splitDigest({ digestId: 'd-1', report, policy: POLICY }, transitions);
    const digest = JSON.parse(part?.message ?? '{}') as { email: string; default: string };

    // Assess
    expect(table.split('\n')[0]).toContain(expected);
    expect(page).toContain(expected);
    expect(digest.email).toContain(expected);
    expect(JSON.parse(digest.default).audit).toMatchObject({
      accounts: 3,
      regions: 3,
      audited: { accounts: 1, regions: 2 },
    });
  });
});
