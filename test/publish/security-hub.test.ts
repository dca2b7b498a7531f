import { afterEach, describe, expect, it } from 'vitest';
import { sendToSecurityHub, toAsff } from '../../src/publish/security-hub.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { CALLER_ID, callerAccount, world } from '../sandbox/world-builders.ts';
import { ACCOUNT, aFinding, aReport, sandboxPublishClients } from './support.ts';

const REGION = 'us-east-1';
const TARGET = { accountId: CALLER_ID, partition: 'aws', region: REGION };
const T0 = new Date('2026-12-01T06:00:00Z');

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

async function hub(refused: string[] = []) {
  sandbox = await startSandbox(
    world([callerAccount({ regions: [REGION] })], { faults: { securityHubRefused: refused } }),
    { issuers: false },
  );
  return { client: await sandboxPublishClients(sandbox).securityhub(REGION), sandbox };
}

describe('toAsff', () => {
  it('fills the fields ASFF requires, in the auditor account, naming the audited account and the check', () => {
    // Prepare
    const finding = aFinding('app', { region: REGION, severity: 'high' });

    // Act
    const asff = toAsff(finding, aReport({ findings: [finding] }), TARGET);

    // Assess
    expect(asff).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: `eks-oidc-auditor/${finding.id}`,
      ProductArn: `arn:aws:securityhub:${REGION}:${CALLER_ID}:product/${CALLER_ID}/default`,
      GeneratorId: 'eks-oidc-auditor/trust-no-sub',
      AwsAccountId: CALLER_ID,
      Severity: { Label: 'HIGH' },
      Resources: [{ Type: 'AwsIamRole', Id: finding.resource, Partition: 'aws', Region: REGION }],
      ProductFields: { 'eks-oidc-auditor/AccountId': ACCOUNT, 'eks-oidc-auditor/Check': 'trust-no-sub' },
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
    });
    expect(asff.Remediation?.Recommendation?.Text).toContain('docs/checks.md#trust-no-sub');
  });
});

describe('sendToSecurityHub (the sandbox serving BatchImportFindings on the wire)', () => {
  it('imports 100 findings a call, an accepted risk as SUPPRESSED', async () => {
    // Prepare
    const { client, sandbox } = await hub();
    const findings = Array.from({ length: 150 }, (_, i) => aFinding(`role-${i}`));
    const muted = { ...aFinding('accepted'), muted: { reason: 'by design', entry: 1 } };

    // Act
    const outcome = await sendToSecurityHub(
      aReport({ findings: [...findings, muted], startedAt: T0 }),
      client,
      TARGET,
    );

    // Assess
    expect(outcome).toEqual({ imported: 151, failed: [], archived: 0 });
    expect(sandbox.log.calls('securityhub', 'BatchImportFindings')).toBe(2);
    const stored = sandbox.securityhub.findings(CALLER_ID, REGION);
    expect(stored).toHaveLength(151);
    expect(stored.find((f) => f.Id.endsWith(muted.id))?.Workflow).toEqual({ Status: 'SUPPRESSED' });
  });

  it('archives and resolves a finding the next run no longer reports, once it read what the check depends on', async () => {
    // Prepare: two findings imported; the next run finds only one, with the account read
    const { client, sandbox } = await hub();
    const kept = aFinding('kept');
    const fixed = aFinding('fixed');
    await sendToSecurityHub(aReport({ findings: [kept, fixed], startedAt: T0 }), client, TARGET);

    // Act
    const later = new Date(T0.getTime() + 86_400_000);
    const outcome = await sendToSecurityHub(aReport({ findings: [kept], startedAt: later }), client, TARGET);

    // Assess
    expect(outcome.archived).toBe(1);
    const stored = sandbox.securityhub.findings(CALLER_ID, REGION);
    expect(stored.find((f) => f.Id.endsWith(fixed.id))).toMatchObject({
      RecordState: 'ARCHIVED',
      Workflow: { Status: 'RESOLVED' },
    });
    expect(stored.find((f) => f.Id.endsWith(kept.id))).toMatchObject({ RecordState: 'ACTIVE' });
  });

  it('leaves a finding active when the next run could not read its account', async () => {
    // Prepare
    const { client, sandbox } = await hub();
    const finding = aFinding('blind');
    await sendToSecurityHub(aReport({ findings: [finding], startedAt: T0 }), client, TARGET);

    // Act: the account is no longer in the audited accounts
    const blind = aReport({
      findings: [],
      accounts: ['999988887777'],
      startedAt: new Date(T0.getTime() + 86_400_000),
    });
    const outcome = await sendToSecurityHub(blind, client, TARGET);

    // Assess
    expect(outcome.archived).toBe(0);
    expect(sandbox.securityhub.findings(CALLER_ID, REGION)[0]).toMatchObject({ RecordState: 'ACTIVE' });
  });

  it('retries a refused finding once, then reports it with Security Hub\u2019s error', async () => {
    // Prepare
    const refused = aFinding('refused');
    const { client, sandbox } = await hub([`eks-oidc-auditor/${refused.id}`]);

    // Act
    const outcome = await sendToSecurityHub(aReport({ findings: [aFinding('ok'), refused] }), client, TARGET);

    // Assess
    expect(outcome.imported).toBe(1);
    expect(outcome.failed).toEqual([
      { id: `eks-oidc-auditor/${refused.id}`, code: 'InvalidInput', message: 'refused (sandbox fault)' },
    ]);
    expect(sandbox.log.calls('securityhub', 'BatchImportFindings')).toBe(2);
  });
});
