// One region's EKS endpoint hung, under a time limit: the audit loses that region and nothing else. Every finding
// outside it is still found, the proofs of orphaned and external providers included (their issuers are probed as
// soon as they can be, not left to the end of the run, when the time budget has stopped all new work).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { loadWorld, type World } from '../sandbox/world.ts';
import { auditOrg, DEMO_WORLD, findingKey } from './support/demo.ts';

// Not the region of the demo's orphaned and external providers (us-east-1): the hang must not reach them.
const HUNG_REGION = 'eu-west-1';

/** The demo world's audit by the CLI, as JSON; `limit` in seconds. */
function audit(sandbox: Sandbox, world: World, limit?: number): Promise<Report> {
  const flags = limit === undefined ? [] : ['--time-limit', String(limit)];
  return auditOrg(sandbox, world, flags, { timeoutMs: 60_000 });
}

describe(`EKS hung in ${HUNG_REGION}, under --time-limit`, () => {
  let world: World;
  let sandbox: Sandbox;
  let whole: Report;
  let hung: Report;

  beforeAll(async () => {
    // Prepare: the demo world audited whole, then with EKS in one region taking requests and never answering
    world = await loadWorld(DEMO_WORLD);
    sandbox = await startSandbox(world);
    whole = await audit(sandbox, world);
    sandbox.faults.update({ hangingEndpoints: [{ service: 'eks', region: HUNG_REGION }] });

    // Act: the default 20 s AWS request time-out outlasts the 15 s the audit may read for (30 s less its margin)
    hung = await audit(sandbox, world, 30);
  }, 120_000);
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('still finds every finding outside the hung region', () => {
    // Assess
    const expected = whole.findings.filter((finding) => finding.region !== HUNG_REGION).map(findingKey);
    const found = new Set(hung.findings.map(findingKey));
    expect(expected.filter((key) => !found.has(key))).toEqual([]);
  });

  it('proves the orphaned and the external provider of another region', () => {
    // Assess
    const proofs = (report: Report) =>
      report.findings
        .filter((f) => f.check === 'provider-orphaned' || f.check === 'provider-external')
        .map(findingKey);
    expect(proofs(whole)).toHaveLength(2);
    expect(proofs(hung)).toEqual(proofs(whole));
    expect(hung.findings.filter((f) => f.message.includes('NOT_PROBED'))).toEqual([]);
  });

  it('adds nothing but the time-budget errors of the hung region', () => {
    // Assess: the region's EKS reads, and the issuer of its provider whose cluster was not read
    const before = new Set(whole.findings.map(findingKey));
    const added = hung.findings.filter((finding) => !before.has(findingKey(finding)));
    const hungPairs = world.accounts
      .filter((account) => account.regions?.includes(HUNG_REGION))
      .map((account) => `region:${account.id}/${HUNG_REGION}`);
    expect(added.map((f) => f.resource)).toEqual(expect.arrayContaining(hungPairs));
    for (const finding of added) {
      expect(finding.check).toBe('audit-error');
      expect(finding.region).toBe(HUNG_REGION);
      expect(finding.message).toMatch(/\(time budget \((eks|issuer probe)\)\)/);
    }
  });
});
