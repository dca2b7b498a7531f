import { describe, expect, it } from 'vitest';
import { parseSuppressions } from '../../src/config/suppressions.ts';
import { planAlerts } from '../../src/publish/alerts.ts';
import { buildMetricData } from '../../src/publish/metrics.ts';
import { hasFindingAtOrAbove } from '../../src/report/build.ts';
import { muteFindings } from '../../src/report/mute.ts';
import { ACCOUNT, aFinding, aReport } from '../publish/support.ts';

const NOW = new Date('2026-12-03T12:00:00Z');

function suppressions(...entries: string[]) {
  return parseSuppressions(`suppressions:\n${entries.join('')}`, 'mutes.yaml');
}

const ciRole = aFinding('ci-runner', { check: 'trust-wildcard-sub', severity: 'high' });
const appRole = aFinding('app', { check: 'trust-no-sub', severity: 'critical' });

describe('muteFindings', () => {
  it('mutes the findings an entry matches, by check and resource short form, and keeps them in the report', () => {
    // Prepare
    const file = suppressions(
      '  - reason: CI by design\n    check: trust-wildcard-sub\n    resource: "role/irsa/ci-*"\n',
    );

    // Act
    const { findings, suppressions: state } = muteFindings([ciRole, appRole], file, NOW);

    // Assess
    expect(findings.map((f) => [f.id, f.muted?.reason])).toEqual([
      [ciRole.id, 'CI by design'],
      [appRole.id, undefined],
    ]);
    expect(findings[0]?.muted).toEqual({ reason: 'CI by design', entry: 1 });
    expect(state).toEqual({ source: 'mutes.yaml', entries: 1, stale: [], expired: [] });
  });

  it('lets an expired entry mute nothing, and reports it with the entries that matched nothing', () => {
    // Prepare
    const file = suppressions(
      '  - reason: was fine until December\n    check: trust-no-sub\n    expires: 2026-12-02\n',
      '  - reason: an account long closed\n    account: "999999999999"\n',
      `  - reason: still fine today\n    account: "${ACCOUNT}"\n    check: trust-wildcard-sub\n    expires: 2026-12-03\n`,
    );

    // Act
    const { findings, suppressions: state } = muteFindings([ciRole, appRole], file, NOW);

    // Assess
    expect(findings.map((f) => f.muted?.entry)).toEqual([3, undefined]);
    expect(state?.expired).toEqual([{ entry: 1, reason: 'was fine until December', expires: '2026-12-02' }]);
    expect(state?.stale).toEqual([{ entry: 2, reason: 'an account long closed' }]);
  });

  it('changes nothing when no suppressions are configured', () => {
    // Act
    const muted = muteFindings([ciRole], undefined, NOW);

    // Assess
    expect(muted).toEqual({ findings: [ciRole] });
  });
});

describe('a muted finding downstream', () => {
  const muted = { ...appRole, muted: { reason: 'accepted', entry: 1 } };

  it('does not count toward --fail-on', () => {
    // Act
    const fails = hasFindingAtOrAbove(aReport({ findings: [muted] }), 'high');

    // Assess
    expect(fails).toBe(false);
  });

  it('is counted by the Muted metric and by no Findings metric', () => {
    // Prepare
    const report = aReport({ findings: [muted, ciRole] });
    report.summary.findings.critical = 0;

    // Act
    const data = buildMetricData(report, { perAccount: true });

    // Assess
    const value = (name: string, dimension?: [string, string]) =>
      data.find(
        (d) =>
          d.MetricName === name &&
          (dimension
            ? d.Dimensions?.some((x) => x.Name === dimension[0] && x.Value === dimension[1])
            : !d.Dimensions),
      )?.Value;
    expect(value('Muted')).toBe(1);
    expect(value('Findings', ['Check', 'trust-no-sub'])).toBe(0);
    expect(value('Findings', ['Check', 'trust-wildcard-sub'])).toBe(1);
  });

  it('is neither alerted as new nor resolved while muted, and comes back as new once its entry expires', () => {
    // Prepare: one finding muted from the start, one alerted before and muted since
    const told = {
      ...appRole,
      status: 'open' as const,
      version: 1,
      openedAt: '2026-11-01T00:00:00Z',
      notifiedAt: '2026-12-02T00:00:00Z',
    };
    const newlyMuted = { ...ciRole, muted: { reason: 'accepted', entry: 2 } };
    const policy = { minSeverity: 'high' as const, reminderDays: 7 };

    // Act
    const whileMuted = planAlerts(
      aReport({ findings: [muted, newlyMuted], startedAt: NOW }),
      [told as never],
      policy,
      {
        now: NOW,
      },
    );
    const later = new Date(NOW.getTime() + 86_400_000);
    const stored = { ...told, status: 'unnotified' as const, version: 2 };
    const expired = planAlerts(
      aReport({ findings: [appRole], startedAt: later }),
      [stored as never],
      policy,
      {
        now: later,
      },
    );

    // Assess: silently stored as not notified while muted, then alerted as new
    expect(whileMuted.transitions).toEqual([]);
    expect(whileMuted.refreshes).toEqual([
      expect.objectContaining({
        expectedVersion: 1,
        status: 'unnotified',
        finding: expect.objectContaining({ id: appRole.id }),
      }),
    ]);
    expect(expired.transitions.map((t) => [t.kind, t.finding.id])).toEqual([['new', appRole.id]]);
  });
});
