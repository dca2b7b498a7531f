import { describe, expect, it } from 'vitest';
import { parseSuppressions } from '../../src/config/suppressions.ts';
import { planAlerts } from '../../src/publish/alert-plan.ts';
import { buildMetricData } from '../../src/publish/metrics.ts';
import { hasFindingAtOrAbove } from '../../src/report/build.ts';
import { MuteIndex, muteFindings } from '../../src/report/mute.ts';
import { ACCOUNT, aFinding, aReport, OTHER_ACCOUNT } from '../publish/support.ts';

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

describe('mutes that cannot hide everything', () => {
  const blindSpot = aFinding('blind', {
    check: 'audit-error',
    severity: 'high',
    resource: `account:${OTHER_ACCOUNT}`,
    accountId: OTHER_ACCOUNT,
  });

  it.each([
    ['an entry that says all: true', '  - reason: everything, on purpose\n    all: true\n'],
    ['a check pattern', `  - reason: all checks there\n    check: "*"\n    account: "${OTHER_ACCOUNT}"\n`],
    ['an entry without a check', `  - reason: the whole account\n    account: "${OTHER_ACCOUNT}"\n`],
  ])('never mutes a blind spot (audit-error) by %s, while muting the rest', (_name, entry) => {
    // Prepare
    const other = aFinding('other', { accountId: OTHER_ACCOUNT });

    // Act
    const { findings } = muteFindings([blindSpot, other], suppressions(entry), NOW);

    // Assess
    expect(findings.map((f) => f.muted?.entry)).toEqual([undefined, 1]);
    expect(hasFindingAtOrAbove(aReport({ findings }), 'high')).toBe(true);
  });

  it('mutes a blind spot when the entry names audit-error', () => {
    // Prepare
    const file = suppressions(
      `  - reason: account being closed (SEC-9)\n    check: audit-error\n    account: "${OTHER_ACCOUNT}"\n`,
    );

    // Act
    const { findings } = muteFindings([blindSpot], file, NOW);

    // Assess
    expect(findings[0]?.muted?.entry).toBe(1);
  });

  it('lets the first entry of the file win, whether it names the account or not', () => {
    // Prepare: entry 1 matches by resource pattern, entry 2 by the exact account
    const file = suppressions(
      '  - reason: first\n    check: trust-no-sub\n    resource: "role/irsa/*"\n',
      `  - reason: second\n    check: trust-no-sub\n    account: "${ACCOUNT}"\n`,
    );

    // Act
    const { findings } = muteFindings([appRole], file, NOW);

    // Assess
    expect(findings[0]?.muted?.entry).toBe(1);
  });

  it('tries a finding only against the entries of its check and account, whatever the patterns', () => {
    // Prepare: 100 entries with 2,048-character patterns, of one check and one account
    const hostile = `*${'a*'.repeat(1023)}`;
    const entries = Array.from(
      { length: 100 },
      (_, i) =>
        `  - reason: r${i}\n    check: trust-wildcard-sub\n    account: "${ACCOUNT}"\n    resource: "${hostile}"\n`,
    );
    const file = suppressions(...entries);
    const otherCheck = Array.from({ length: 100 }, (_, i) => aFinding(`c${i}`, { check: 'trust-no-sub' }));
    const otherAccount = Array.from({ length: 100 }, (_, i) =>
      aFinding(`a${i}`, { check: 'trust-wildcard-sub', accountId: OTHER_ACCOUNT }),
    );
    const live = file.entries.map((entry, i) => ({ entry, position: i + 1, matches: () => false }));
    const index = new MuteIndex(live);

    // Act
    for (const finding of [...otherCheck, ...otherAccount]) index.first(finding);
    const tried = index.tried;
    index.first(aFinding('same', { check: 'trust-wildcard-sub' }));

    // Assess
    expect(tried).toBe(0);
    expect(index.tried).toBe(100);
  });

  it('matches 2,048-character patterns by their pieces: a hostile pattern matches what it should, and only that', () => {
    // Prepare: a resource pattern of many stars and a value it matches, and one it does not
    const pattern = `role/irsa/${'a*'.repeat(1000)}z`;
    const file = suppressions(`  - reason: r\n    check: trust-no-sub\n    resource: "${pattern}"\n`);
    const yes = aFinding(`${'a'.repeat(1500)}z`);
    const no = aFinding(`${'a'.repeat(1500)}y`);

    // Act
    const { findings } = muteFindings([yes, no], file, NOW);

    // Assess
    expect(findings.map((f) => f.muted?.entry)).toEqual([1, undefined]);
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
