// Access that was there and is gone: an account × region audited by an earlier run and blind now is a high
// audit-error, alerted like any new high finding, and a medium one when nobody ever saw it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit.ts';
import { createAwsClients } from '../../src/clients/aws.ts';
import { resolveConfig } from '../../src/config/resolve.ts';
import type { AuditedBefore, CoverageMemory } from '../../src/publish/coverage-memory.ts';
import type { Report } from '../../src/report/types.ts';
import type { Sandbox } from '../sandbox/server.ts';
import { CALLER_ID as CALLER, callerAccount, world } from '../sandbox/world-builders.ts';
import { answeringProber } from '../support/probers.ts';
import { startAuditSandbox, stopSandboxes } from '../support/sandbox-aws.ts';

// One account with two regions and no cluster; a test denies eks:ListClusters in eu-west-1 when it needs to.
let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startAuditSandbox(world([callerAccount({ regions: ['us-east-1', 'eu-west-1'] })]));
});
afterEach(stopSandboxes);

function denyListClustersIn(region: string): void {
  sandbox.faults.failNext('eks:ListClusters', {
    region,
    error: 'accessDenied',
    times: Number.POSITIVE_INFINITY,
  });
}

/** The coverage memory as the table keeps it, in memory. */
function memoryOf(dates: Record<string, string> = {}): CoverageMemory & { dates: Map<string, string> } {
  const dates_ = new Map(Object.entries(dates));
  return {
    dates: dates_,
    load: async () => new Map(dates_),
    record: async (report: Report, before: AuditedBefore) => {
      for (const [key, at] of before) dates_.set(key, at);
      for (const account of report.accounts)
        for (const region of account.regionsAudited)
          dates_.set(`${account.accountId}/${region}`, report.startedAt);
    },
  };
}

async function audit(memory: CoverageMemory, at: string) {
  const config = resolveConfig('cli', { regions: ['us-east-1', 'eu-west-1'] });
  return runAudit(config, {
    clients: createAwsClients({ maxAttempts: 1 }),
    prober: answeringProber(),
    now: () => new Date(at),
    homeRegion: 'us-east-1',
    coverageMemory: memory,
  });
}

describe('lost access', () => {
  it('is high when a region audited by an earlier run is blind now, saying since when', async () => {
    // Prepare: run 1 reads both regions, and publishing records them
    const memory = memoryOf();
    const first = await audit(memory, '2026-11-21T06:00:00Z');
    await memory.record(first.report, first.coverage?.before ?? new Map());

    // Act: run 2, eks:ListClusters denied in eu-west-1
    denyListClustersIn('eu-west-1');
    const { report } = await audit(memory, '2026-11-22T06:00:00Z');

    // Assess
    const [lost] = report.findings.filter((f) => f.check === 'audit-error');
    expect(lost).toMatchObject({
      severity: 'high',
      region: 'eu-west-1',
      resource: `region:${CALLER}/eu-west-1`,
    });
    expect(lost?.message).toMatch(/; audited until 2026-11-21, blind now$/);
  });

  it('stays medium for a region no earlier run saw', async () => {
    // Prepare
    denyListClustersIn('eu-west-1');

    // Act
    const { report } = await audit(memoryOf(), '2026-11-22T06:00:00Z');

    // Assess
    expect(report.findings.filter((f) => f.check === 'audit-error').map((f) => f.severity)).toEqual([
      'medium',
    ]);
  });
});
