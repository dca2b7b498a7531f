// The fan-out as deployed, trust and all: the demo organization's member accounts hold deploy/member-role.yaml's role
// trusting exactly what the fanOut=true stack's Output AuditorRoleArn names, the auditor account holds the stack's
// roles with their rendered policies, and each step runs in its own process as its own function's role (plan,
// shards, merge). Every account a member role is deployed in is read, and the report is the one the audit function,
// run as its own role, gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildResult, runHandler, runNode, sandboxProcessEnv } from '../../scripts/sandbox-processes.ts';
import type { Report } from '../../src/report/types.ts';
import { DEMO_WORLD } from '../e2e/support/demo.ts';
import {
  FAN_OUT_EVENT as EVENT,
  fanOutBuckets,
  fanOutEnvironment,
  mergedReport,
} from '../e2e/support/fan-out.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { loadWorld, type WorldInput } from '../sandbox/world.ts';
import { type PackagedService, packageService } from '../support/service.ts';
import { roleName } from './support/cloudformation.ts';
import {
  AUDITOR_ACCOUNT,
  auditorRoleArnOutput,
  auditorRoles,
  auditorStack,
  memberRole,
  ORG_ID,
} from './support/trust-world.ts';

/** The ExternalId the demo world's auditor presents (lambdaEnvironment), which every member role now requires. */
const EXTERNAL_ID = 'oidc-audit';

let packaged: PackagedService | undefined;
let sandbox: Sandbox | undefined;
let world: WorldInput | undefined;
beforeAll(async () => {
  packaged = await packageService([`organizationId=${ORG_ID}`, 'fanOut=true']);
  const stack = auditorStack(packaged.template);
  const trusted = auditorRoleArnOutput(stack);
  const demo = await loadWorld(DEMO_WORLD);
  // Every account's audit role is the member-role template's, trusting the stack's roles only; the auditor's
  // account holds the stack's roles as deployed.
  world = {
    ...demo,
    organization: { ...demo.organization, id: ORG_ID, managementAccount: AUDITOR_ACCOUNT },
    accounts: demo.accounts.map((account) => ({
      ...account,
      assumableRoles: [],
      roles: [
        ...account.roles,
        memberRole(account.id, trusted, EXTERNAL_ID),
        ...(account.id === AUDITOR_ACCOUNT ? auditorRoles(stack) : []),
      ],
    })),
    s3Buckets: fanOutBuckets(),
  };
  sandbox = await startSandbox(world);
}, 300_000);
afterAll(async () => {
  await sandbox?.stop();
  packaged?.remove();
});

function box(): Sandbox {
  if (!sandbox || !packaged || !world) throw new Error('the sandbox did not start');
  return sandbox;
}

/** The environment of a function that runs as the stack's role `logicalId`: that role's session keys only. */
function asRole(logicalId: string): Record<string, string> {
  const s = box();
  const name = roleName(auditorStack(packaged?.template), logicalId);
  const keys = s.roleCredentials(AUDITOR_ACCOUNT, name, `${logicalId}-session`);
  return {
    ...fanOutEnvironment(s.world),
    AUDIT_EXTERNAL_ID: EXTERNAL_ID,
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_SESSION_TOKEN: keys.sessionToken ?? '',
  };
}

async function step(name: 'plan' | 'shard' | 'merge', roleId: string, input: unknown): Promise<unknown> {
  const run: ChildResult = await runNode(['test/deploy/support/run-step.ts', name, JSON.stringify(input)], {
    env: sandboxProcessEnv(box(), asRole(roleId)),
    timeoutMs: 120_000,
  });
  expect(run.code, `${name}: ${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
}

/** Findings with the caller's session left out: a refused AssumeRole names the role that asked. */
const callerNeutral = (findings: unknown) =>
  JSON.parse(
    JSON.stringify(findings).replace(/assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+/g, 'assumed-role/ROLE/SESSION'),
  );

describe("the fan-out with member roles that trust only the stack's roles", () => {
  it('reads every account through the shard role and reports what the audit function reports', async () => {
    // Prepare: the audit function's run, as its role
    const single = await runHandler(box(), {
      event: { ...EVENT, dryRun: true },
      env: asRole('IamRoleLambdaExecution'),
      timeoutMs: 60_000,
    });
    expect(single.code, single.stderr).toBe(0);

    // Act: plan, each shard, merge, each as its own function's role
    const plan = (await step('plan', 'FanOutPlanRole', EVENT)) as {
      runId: string;
      event: unknown;
      shards: unknown[];
    };
    const results = [];
    for (const shard of plan.shards) {
      results.push(await step('shard', 'FanOutShardRole', { runId: plan.runId, event: plan.event, shard }));
    }
    const merged = (await step('merge', 'FanOutMergeRole', {
      runId: plan.runId,
      event: plan.event,
      results,
    })) as {
      shardsFailed: number;
    };
    const report = mergedReport(box());

    // Assess: no shard lost, and the report of the audit function; the only account neither could read is the one
    // that refuses every AssumeRole (denyAssumeRole); every other member was assumed into
    const refusing = box()
      .world.accounts.filter((a) => a.denyAssumeRole)
      .map((a) => a.id);
    const assumeErrors = (r: Report | undefined) =>
      (r?.errors ?? []).filter((e) => e.stage === 'assume-role').map((e) => e.accountId);
    const admittedInto = new Set(
      box()
        .log.assumeRoles.filter((a) => a.outcome === 'ok')
        .map((a) => a.roleArn.split(':')[4]),
    );
    expect(merged.shardsFailed).toBe(0);
    expect(report.scope.accounts).toEqual(single.report?.scope.accounts);
    expect(callerNeutral(report.findings)).toEqual(callerNeutral(single.report?.findings));
    expect(report.summary).toEqual(single.report?.summary);
    expect(refusing).toHaveLength(1);
    expect(assumeErrors(report)).toEqual(refusing);
    expect(assumeErrors(single.report)).toEqual(refusing);
    expect([...admittedInto].sort()).toEqual(
      report.scope.accounts.filter((id) => !refusing.includes(id) && id !== AUDITOR_ACCOUNT).sort(),
    );
  }, 300_000);
});
