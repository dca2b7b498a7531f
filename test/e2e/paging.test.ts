// Paging and call counts end to end: an organization of 45 accounts (3 ListAccounts pages of 20), 1,100 roles in
// one account (2 ListRoles pages of 1000), and a member with 250, 101 and 0 clusters in three regions, read with
// exactly the calls docs/aws-apis.md allows and one TLS connection per issuer host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HandlerRun, runHandler } from '../../scripts/sandbox-processes.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { parseWorld, type World } from '../sandbox/world.ts';
import { CALLER_ID, MEMBER_ID } from '../sandbox/world-builders.ts';
import { assertFindings } from './support/expected-findings.ts';
import { PAGING, pagingWorld } from './support/worlds.ts';

describe('an organization big enough to page everything', () => {
  let world: World;
  let sandbox: Sandbox;
  let run: HandlerRun;

  /** Requests the sandbox answered for one operation, narrowed to an account and a region. */
  const calls = (service: string, operation: string, account?: string, region?: string) =>
    sandbox.log.entries.filter(
      (entry) =>
        entry.service === service &&
        entry.operation === operation &&
        (account === undefined || entry.account === account) &&
        (region === undefined || entry.region === region),
    ).length;

  beforeAll(async () => {
    // Prepare
    world = parseWorld(pagingWorld());
    sandbox = await startSandbox(world);

    // Act: one audit of the whole organization, shared by the assertions below
    run = await runHandler(sandbox, {
      event: { trigger: 'manual', dryRun: true },
      env: { AUDIT_ACCOUNTS: 'org' },
      timeoutMs: 40_000,
    });
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('audits every account, cluster and role, with the expected findings and no failed call', () => {
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const clusters = Object.values(PAGING.clustersByRegion).reduce((sum, n) => sum + n, 0);
    const accounts = world.accounts.length;
    // Every account lists its audit role besides the roles the world gives it.
    expect(run.report?.summary).toMatchObject({ accounts, clusters, roles: PAGING.callerRoles + accounts });
    assertFindings(run.report?.findings ?? [], world.expectedFindings);
    expect(sandbox.log.errors()).toBe(0);
  });

  it('pages the organization 20 accounts at a time', () => {
    // Assess
    expect(world.accounts.length).toBe(45);
    expect(calls('organizations', 'ListAccounts')).toBe(3);
  });

  it('pages roles 1000 at a time', () => {
    // Assess
    expect(calls('iam', 'ListRoles', CALLER_ID)).toBe(2);
    expect(calls('iam', 'ListRoles', MEMBER_ID)).toBe(1);
    expect(calls('iam', 'ListRoles')).toBe(world.accounts.length + 1);
  });

  it('reads a multi-region account with exactly the calls it needs', () => {
    // Assess
    const providers = world.accounts.find((account) => account.id === MEMBER_ID)?.oidcProviders.length ?? 0;
    expect(providers).toBe(3);
    expect(calls('iam', 'ListOpenIDConnectProviders', MEMBER_ID)).toBe(1);
    expect(calls('iam', 'GetOpenIDConnectProvider', MEMBER_ID)).toBe(providers);
    const perRegion = Object.entries(PAGING.clustersByRegion).map(([region, clusters]) => ({
      region,
      listClusters: calls('eks', 'ListClusters', MEMBER_ID, region),
      describeCluster: calls('eks', 'DescribeCluster', MEMBER_ID, region),
      expected: { listClusters: Math.max(1, Math.ceil(clusters / 100)), describeCluster: clusters },
    }));
    expect(
      perRegion.map(({ region, listClusters, describeCluster }) => ({
        region,
        listClusters,
        describeCluster,
      })),
    ).toEqual(perRegion.map(({ region, expected }) => ({ region, ...expected })));
  });

  it('opens one TLS connection per issuer host, whatever the number of clusters on it', () => {
    // Assess
    const hosts = Object.entries(PAGING.clustersByRegion)
      .filter(([, clusters]) => clusters > 0)
      .map(([region]) => `oidc.eks.${region}.amazonaws.com`);
    expect(hosts.map((host) => [host, sandbox.issuers?.connections(host)])).toEqual(
      hosts.map((host) => [host, 1]),
    );
    expect(hosts.map((host) => sandbox.issuers?.openConnections(host))).toEqual(hosts.map(() => 0));
  });
});
