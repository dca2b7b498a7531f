// --kubernetes end to end on the demo world: off, the audit is the audit of a world whose clusters serve no
// Kubernetes at all (nothing dialled, the same report); on, the coverage counts the clusters read and the report
// says how much of each was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/model/catalog.ts';
import type { Report } from '../../src/report/types.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { loadWorld, type World } from '../sandbox/world.ts';
import { auditOrg, DEMO_WORLD } from './support/demo.ts';

/** The demo world with every `kubernetes` block removed: what worlds looked like before the option. */
function withoutKubernetes(world: World): World {
  return {
    ...world,
    accounts: world.accounts.map((account) => ({
      ...account,
      clusters: account.clusters.map(({ kubernetes: _k, ...cluster }) => cluster),
    })),
  };
}

/**
 * The report without what differs from run to run: its times, and what hangs on the certificates each sandbox
 * generates for the issuers (providers' thumbprints, issuers' chains, finding texts naming them).
 */
function stable(report: Report): unknown {
  return {
    summary: report.summary,
    accounts: report.accounts,
    clusters: report.clusters,
    errors: report.errors,
    findings: report.findings.map(({ id, check, severity, resource, cluster }) => ({
      id,
      check,
      severity,
      resource,
      cluster,
    })),
  };
}

describe('--kubernetes on the demo world', () => {
  let world: World;
  let served: Sandbox;
  let plain: Sandbox;
  const audit = (sandbox: Sandbox, ...extra: string[]) => auditOrg(sandbox, world, extra);

  beforeAll(async () => {
    world = await loadWorld(DEMO_WORLD);
    served = await startSandbox(world);
    plain = await startSandbox(withoutKubernetes(world));
  });
  afterAll(async () => {
    await served?.stop();
    await plain?.stop();
  });

  it('off: dials no cluster and reports what a world without Kubernetes gives', async () => {
    // Act
    const off = await audit(served);
    const before = await audit(plain);

    // Assess
    expect(served.kubernetes?.requests()).toBe(0);
    expect(stable(off)).toEqual(stable(before));
    expect(JSON.stringify(off).includes('"kubernetes"')).toBe(false);
    expect(off.findings.filter((f) => CATALOG[f.check].family === 'kubernetes')).toEqual([]);
  });

  it('on: counts the clusters whose Kubernetes side was read, and summarises each', async () => {
    // Act
    const on = await audit(served, '--kubernetes');

    // Assess
    expect(on.summary.coverage.kubernetes).toEqual({
      clusters: on.summary.clusters,
      read: on.summary.clusters - 2,
    });
    expect(on.clusters.find((c) => c.name === 'platform')?.kubernetes).toEqual({
      namespaces: 4,
      serviceAccounts: 9,
      annotated: 9,
      pods: 4,
    });
    expect(on.clusters.find((c) => c.name === 'ops')?.kubernetes).toBeUndefined();
    expect(
      on.errors
        .filter((e) => e.stage.startsWith('kubernetes-'))
        .map((e) => e.code)
        .sort(),
    ).toEqual(['NoAccessEntry', 'PrivateEndpoint']);
  });
});
