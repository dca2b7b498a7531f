// One region's EKS hung in every account of an organization (a regional outage), with more accounts than the run
// keeps in flight, under a time limit: each hung call used to hold its account's place until it timed out, so the
// later accounts were never started and their healthy regions were lost. Once a few accounts have seen the region
// time out, the others are not sent there (src/clients/region-breaker.ts) and move on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.ts';
import { generateWorld } from '../sandbox/generate.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { parseWorld, type World } from '../sandbox/world.ts';
import { auditOrg, findingKey } from './support/demo.ts';

const HUNG_REGION = 'eu-west-1';
const ACCOUNTS = 16;
// One account in flight (half the concurrency), each hung call ending after one 2 s attempt: the accounts take
// 16 × 2 s one after the other when every one of them waits for the region, more than the 20 s the audit may read
// for under a 40 s limit (40 s less its margin).
const FLAGS = ['--concurrency', '2', '--aws-request-timeout-ms', '2000', '--time-limit', '40'];

function audit(sandbox: Sandbox, flags: string[]): Promise<Report> {
  return auditOrg(sandbox, undefined, flags, { env: { AWS_MAX_ATTEMPTS: '1' }, timeoutMs: 90_000 });
}

describe(`EKS hung in ${HUNG_REGION} in all ${ACCOUNTS} accounts, one account in flight`, () => {
  let world: World;
  let sandbox: Sandbox;
  let whole: Report;
  let hung: Report;

  beforeAll(async () => {
    // Prepare: an organization whose accounts each have a cluster in two regions and no provider for either (a
    // finding in each region of each account), audited whole, then with EKS in one of the regions taking every
    // request and answering none
    world = parseWorld(
      generateWorld({
        accounts: ACCOUNTS,
        regions: ['us-east-1', HUNG_REGION],
        clustersPerRegion: 1,
        providers: false,
      }),
    );
    sandbox = await startSandbox(world);
    whole = await audit(sandbox, []);
    sandbox.faults.update({ hangingEndpoints: [{ service: 'eks', region: HUNG_REGION }] });

    // Act
    hung = await audit(sandbox, FLAGS);
  }, 180_000);
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('still finds every finding outside the hung region, in every account', () => {
    // Assess
    const outside = whole.findings.filter((finding) => finding.region !== HUNG_REGION);
    expect(new Set(outside.map((f) => f.accountId)).size).toBe(ACCOUNTS);
    const expected = outside.map(findingKey);
    const found = new Set(hung.findings.map(findingKey));
    expect(expected.filter((key) => !found.has(key))).toEqual([]);
  });

  it('reads the healthy region of every account', () => {
    // Assess: no account is left unstarted by the time budget
    const notReached = hung.findings.filter((f) => f.check === 'audit-error' && f.region !== HUNG_REGION);
    expect(notReached.map((f) => f.message)).toEqual([]);
  });

  it('names the hung region of every account as an audit error, most as not called again', () => {
    // Assess
    const errors = hung.findings.filter((f) => f.check === 'audit-error' && f.region === HUNG_REGION);
    const regionErrors = errors.filter((f) => f.resource.startsWith('region:'));
    expect(regionErrors.map((f) => f.accountId).sort()).toEqual(world.accounts.map((a) => a.id).sort());
    const unresponsive = regionErrors.filter((f) => f.message.includes('RegionUnresponsive'));
    expect(unresponsive.length).toBeGreaterThan(ACCOUNTS / 2);
    for (const finding of unresponsive) {
      expect(finding.message).toContain(`eks in ${HUNG_REGION} did not answer`);
    }
  });
});
