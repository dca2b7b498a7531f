// publishReport against the sandbox: overlapping runs share the work without alerting twice, and a topic without
// a state table sends metrics only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.ts';
import { type PublishLog, publishReport } from '../../src/publish/index.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { CALLER_ID, callerAccount, world } from '../sandbox/world-builders.ts';
import { aReport, manyFindings, STATE_TABLE, sandboxPublishClients, T0 } from './support.ts';

const TOPIC = `arn:aws:sns:us-east-1:${CALLER_ID}:alerts`;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(
    world([callerAccount()], {
      snsTopics: [TOPIC],
      dynamodbTables: [{ name: STATE_TABLE }],
    }),
    { issuers: false },
  );
});
afterAll(async () => {
  await sandbox?.stop();
});

function deps(digestId: string, log?: PublishLog) {
  return {
    clients: sandboxPublishClients(sandbox),
    region: 'us-east-1',
    now: () => T0,
    newDigestId: () => digestId,
    ...(log ? { log } : {}),
  };
}

describe('publishReport', () => {
  it('lets two overlapping runs alert every transition exactly once between them', async () => {
    // Prepare: 200 critical findings, two runs of the same audit at the same time
    const findings = manyFindings(200).map((f) => ({ ...f, severity: 'critical' as const }));
    const report = aReport({ findings, accounts: [...new Set(findings.map((f) => f.accountId))] });
    const config = resolveConfig('schedule', { alertTopicArn: TOPIC, alertStateTable: STATE_TABLE });

    // Act
    const [a, b] = await Promise.all([
      publishReport(report, config, deps('run-a')),
      publishReport(report, config, deps('run-b')),
    ]);

    // Assess: each transition won by one run and sent by it; the other left it alone
    expect(a.alerts.delivered.new + b.alerts.delivered.new).toBe(200);
    expect(a.alerts.lostToOtherRuns + b.alerts.lostToOtherRuns).toBe(200);
    const sent = sandbox.published.sns
      .filter((m) => m.topicArn === TOPIC)
      .flatMap((m) => JSON.parse(JSON.parse(m.message).default).transitions as { finding: { id: string } }[]);
    expect(sent).toHaveLength(200);
    expect(new Set(sent.map((t) => t.finding.id)).size).toBe(200);
    const state = sandbox.dynamodb.items(STATE_TABLE);
    expect(state.every((item) => item.status?.S === 'open' && item.claim === undefined)).toBe(true);
  });

  it('sends metrics only, and says why, when a topic is set without a state table', async () => {
    // Prepare
    const warnings: string[] = [];
    const log = { info: () => {}, warn: (message: string) => warnings.push(message) };
    const config = resolveConfig('schedule', { alertTopicArn: TOPIC });
    const before = { sns: sandbox.log.calls('sns'), dynamodb: sandbox.log.calls('dynamodb') };

    // Act
    const outcome = await publishReport(aReport({ findings: manyFindings(3) }), config, deps('run-c', log));

    // Assess
    expect(outcome.alerts.status).toBe('not-configured');
    expect(outcome.metrics).toMatchObject({ calls: 1 });
    expect(warnings).toEqual([
      expect.stringContaining('no state table (--alert-state-table or ALERT_STATE_TABLE)'),
    ]);
    expect(outcome.alerts.reason).toContain('no state table');
    expect(sandbox.log.calls('sns')).toBe(before.sns);
    expect(sandbox.log.calls('dynamodb')).toBe(before.dynamodb);
  });
});
