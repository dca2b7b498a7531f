// A topic without a state table: the CLI audits, publishes the metrics, and says once, in one warning, why no alert
// went out, naming the flag and the variable that would fix it.
import { describe, expect, it } from 'vitest';
import { useDemoSandbox } from './support/demo.ts';

describe('the CLI with --alert-topic-arn but no state table', () => {
  const demo = useDemoSandbox();

  it('warns once, and its summary does not contradict the warning', async () => {
    // Prepare
    const topic = demo.world.snsTopics?.[0] ?? '';
    const sent = demo.sandbox.published.sns.length;

    // Act
    const result = await demo.audit('--format', 'json', '--publish', '--alert-topic-arn', topic);

    // Assess
    const lines = result.stderr.split('\n');
    expect(lines.filter((line) => line.includes('warning:'))).toEqual([
      expect.stringContaining('no state table (--alert-state-table or ALERT_STATE_TABLE)'),
    ]);
    expect(lines.filter((line) => /state table/i.test(line))).toHaveLength(1);
    expect(result.stderr).toContain('alerts not sent (see the warning)');
    expect(result.stderr).not.toContain('no topic');
    expect(demo.sandbox.published.sns.length).toBe(sent);
  });
});
