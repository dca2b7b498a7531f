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
});
