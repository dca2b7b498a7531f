// A whole organization end to end through the Lambda handler, with everything going wrong at once: an account
// that refuses AssumeRole, a disabled region, a fifth of all AWS calls throttled and an issuer host that never
// answers. Every account and region in scope must end up audited or named by an audit-error, and the healthy
// accounts must yield exactly the world's findings.
import {
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HandlerRun, runHandler } from '../../scripts/sandbox-processes.ts';
import type { Report } from '../../src/report/types.ts';
import { defaultRegions } from '../sandbox/regions.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { parseWorld, type World } from '../sandbox/world.ts';
import { CALLER_ID } from '../sandbox/world-builders.ts';
import { assertFindings } from './support/expected-findings.ts';
import { DISABLED_REGION, HANGING_HOST, ORG, organizationWorld } from './support/organization-world.ts';
import { EXTERNAL_ID } from './support/worlds.ts';

const EVENT = { trigger: 'manual', dryRun: true };
// Ten attempts per call: at a 20% throttle rate a call is throttled out once in ten million, so the run is
// never short of a region by chance. The probe time-out is short so the hanging host costs a second.
const BASE_ENV = {
  AUDIT_ACCOUNTS: 'org',
  AUDIT_EXTERNAL_ID: EXTERNAL_ID,
  AWS_MAX_ATTEMPTS: '10',
  AUDIT_PROBE_TIMEOUT_MS: '1000',
};
const THROTTLE_CODES = ['Throttling', 'ThrottlingException', 'TooManyRequestsException'];

function reportOf(run: HandlerRun): Report {
  if (!run.report) throw new Error(`the handler failed (exit ${run.code}):\n${run.stderr}\n${run.stdout}`);
  return run.report;
}

/** The id of the OU at `path` (`/Workloads/Dev`), walked down from the root as an operator would look it up. */
async function ouId(sandbox: Sandbox, path: string): Promise<string> {
  const client = new OrganizationsClient({ ...sandbox.clientConfig(), maxAttempts: 10 });
  const roots = await client.send(new ListRootsCommand({}));
  let parent = roots.Roots?.[0]?.Id ?? '';
  for (const name of path.split('/').filter(Boolean)) {
    const children = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parent }));
    parent = children.OrganizationalUnits?.find((ou) => ou.Name === name)?.Id ?? '';
  }
  client.destroy();
  if (!parent.startsWith('ou-')) throw new Error(`no OU at ${path}`);
  return parent;
}

/**
 * Each account × enabled region of the world that is in the report's scope, and how the report accounts for
 * it: `audited`, or the stage of the audit-error that names it. Undefined would mean it was silently lost.
 */
function coverage(world: World, report: Report): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const accountId of report.scope.accounts) {
    const declared = world.accounts.find((a) => a.id === accountId);
    const audited = report.accounts.find((a) => a.accountId === accountId);
    for (const region of declared?.regions ?? defaultRegions(world.partition)) {
      const error = report.errors.find(
        (e) => e.accountId === accountId && (e.region === region || e.region === null),
      );
      result[`${accountId}/${region}`] = audited?.regionsAudited.includes(region) ? 'audited' : error?.stage;
    }
    result[`${accountId}/iam`] =
      audited?.providersAudited && audited.rolesAudited
        ? 'audited'
        : report.errors.find((e) => e.accountId === accountId && e.region === null)?.stage;
  }
  return result;
}

describe('an organization with a denied account, a disabled region, throttling and a hanging issuer', () => {
  let world: World;
  let sandbox: Sandbox;
  let report: Report;

  beforeAll(async () => {
    // Prepare
    world = parseWorld(organizationWorld());
    sandbox = await startSandbox(world);
    const excludeOus = await ouId(sandbox, '/Sandbox');
    sandbox.log.reset();

    // Act
    report = reportOf(
      await runHandler(sandbox, {
        event: EVENT,
        env: { ...BASE_ENV, AUDIT_EXCLUDE_OUS: excludeOus, AUDIT_EXCLUDE_ACCOUNTS: ORG.excluded },
        timeoutMs: 60_000,
      }),
    );
  }, 90_000);
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('scopes the ACTIVE accounts of the organization less the excluded OU and account', () => {
    // Assess
    expect(report.scope.accounts).toEqual([CALLER_ID, ORG.prod, ORG.locked, ORG.dev]);
    const assumed = new Set(sandbox.log.assumeRoles.map(({ roleArn }) => roleArn.split(':')[4]));
    expect([...assumed].sort()).toEqual([ORG.prod, ORG.locked, ORG.dev]);
    for (const id of [ORG.sandbox, ORG.excluded, ORG.suspended])
      expect(sandbox.log.callsByAccount(id)).toBe(0);
  });

  it('accounts for every account and region in scope: audited, or named by an audit-error', () => {
    // Assess
    expect(coverage(world, report)).toEqual({
      [`${CALLER_ID}/us-east-1`]: 'audited',
      [`${CALLER_ID}/iam`]: 'audited',
      [`${ORG.prod}/us-east-1`]: 'audited',
      [`${ORG.prod}/eu-west-1`]: 'audited',
      [`${ORG.prod}/us-west-2`]: 'audited',
      [`${ORG.prod}/iam`]: 'audited',
      [`${ORG.locked}/us-east-1`]: 'assume-role',
      [`${ORG.locked}/iam`]: 'assume-role',
      [`${ORG.dev}/us-east-1`]: 'audited',
      [`${ORG.dev}/${DISABLED_REGION}`]: 'eks',
      [`${ORG.dev}/iam`]: 'audited',
    });
    expect(
      report.errors.map(({ accountId, region, stage, code }) => ({ accountId, region, stage, code })),
    ).toEqual([
      { accountId: ORG.locked, region: null, stage: 'assume-role', code: 'AccessDenied' },
      { accountId: ORG.dev, region: DISABLED_REGION, stage: 'eks', code: 'UnrecognizedClientException' },
    ]);
    expect(report.summary).toMatchObject({ accounts: 3, clusters: 5, errors: 2 });
  });

  it('retries the throttled calls through: a fifth of the calls throttled, none lost', () => {
    // Assess
    const throttled = THROTTLE_CODES.reduce((sum, code) => sum + sandbox.log.errors(code), 0);
    expect(throttled / sandbox.log.calls()).toBeGreaterThan(0.1);
    expect(report.errors.filter((e) => THROTTLE_CODES.includes(e.code))).toEqual([]);
  });

  it('reports the hanging issuer host for its cluster and probes every other host', () => {
    // Assess
    const unreachable = report.findings.filter((f) => f.check === 'issuer-unreachable');
    expect(unreachable.map((f) => [f.accountId, f.region, f.cluster])).toEqual([
      [ORG.prod, 'us-west-2', 'west'],
    ]);
    expect(unreachable[0]?.message).toContain(HANGING_HOST);
    const hosts = report.issuers.map((issuer) => [issuer.host, issuer.tls?.error?.code ?? 'ok']);
    expect(new Set(hosts.map(([host]) => host))).toEqual(
      new Set(['oidc.eks.us-east-1.amazonaws.com', 'oidc.eks.eu-west-1.amazonaws.com', HANGING_HOST]),
    );
  });

  it("finds exactly the world's findings in the accounts it could audit", () => {
    // Assess
    assertFindings(report.findings, world.expectedFindings);
  });

  it('narrows the organization to the accounts under an included OU', async () => {
    // Prepare
    sandbox.faults.update({ throttleRate: 0 });
    const includeOus = await ouId(sandbox, '/Workloads/Prod');

    // Act
    const narrowed = reportOf(
      await runHandler(sandbox, { event: EVENT, env: { ...BASE_ENV, AUDIT_INCLUDE_OUS: includeOus } }),
    );

    // Assess: the suspended account under that OU stays out
    expect(narrowed.scope.accounts).toEqual([ORG.prod, ORG.excluded]);
    expect(narrowed.findings.map((f) => [f.check, f.accountId, f.cluster])).toEqual(
      expect.arrayContaining([
        ['provider-missing', ORG.prod, 'batch'],
        ['provider-missing', ORG.excluded, 'unseen'],
      ]),
    );
  }, 60_000);
});
