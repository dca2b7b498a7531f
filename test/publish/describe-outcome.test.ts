import { describe, expect, it } from 'vitest';
import { describeOutcome, type PublishOutcome } from '../../src/publish/index.ts';

const base: PublishOutcome = {
  metrics: { datums: 12, calls: 1 } as PublishOutcome['metrics'],
  alerts: {
    status: 'not-configured',
    messages: 0,
    delivered: { new: 0, resolved: 0, reminder: 0 },
    undelivered: 0,
    lostToOtherRuns: 0,
  },
};

describe('describeOutcome', () => {
  it.each([
    [
      'where the reports went',
      {
        json: { s3Uri: 's3://b/reports/2026/12/03/x/report.json.gz', consoleUrl: '' },
        html: { s3Uri: 's3://b/reports/2026/12/03/x/report.html', consoleUrl: '' },
      },
      '; reports in s3://b/reports/2026/12/03/x/',
    ],
    [
      'why they were not stored',
      { error: 'NoSuchBucket: The specified bucket does not exist' },
      '; reports not stored (NoSuchBucket: The specified bucket does not exist)',
    ],
  ])('says %s', (_, reports, text) => {
    // Act
    const line = describeOutcome({ ...base, reports });

    // Assess
    expect(line.endsWith(text)).toBe(true);
  });

  it('says nothing of reports when no bucket is configured', () => {
    expect(describeOutcome(base)).not.toContain('reports');
  });
});

describe('describeOutcome of alerts not sent', () => {
  it.each([
    ['no topic', undefined, 'no alerts (no topic configured)'],
    [
      'a topic without a state table',
      'a topic is set but no state table',
      'alerts not sent (see the warning)',
    ],
  ])('with %s says so once, without repeating the warning', (_, reason, text) => {
    // Act
    const line = describeOutcome({ ...base, alerts: { ...base.alerts, ...(reason ? { reason } : {}) } });

    // Assess
    expect(line).toContain(`; ${text}`);
    expect(line).not.toContain('state table');
  });
});
