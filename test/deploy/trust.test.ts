// Member-role trust against the real roles of both packagings: the stack's Output AuditorRoleArn passed to
// deploy/member-role.yaml (its parameters checked and rendered as CloudFormation would) must admit every role of
// the stack that assumes into members, and no other. The sandbox's STS evaluates both sides as AWS does.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { type PackagedService, packageService } from '../support/service.ts';
import {
  AUDITOR_ACCOUNT,
  auditorRoleArnOutput,
  auditorRoles,
  auditorStack,
  EXTERNAL_ID,
  memberRole,
  ORG_ID,
  rolesThatAssume,
} from './support/trust-world.ts';

const MEMBER = '222222222222';
const MEMBER_ROLE = `arn:aws:iam::${MEMBER}:role/OIDCAuditRole`;
/** A role of the auditor's account, not of the stack, that may assume any role. */
const OTHER_ADMIN = {
  name: 'ops-admin',
  trust: { Statement: [{ Effect: 'Allow', Principal: { AWS: AUDITOR_ACCOUNT }, Action: 'sts:AssumeRole' }] },
  permissions: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

const packaged: Partial<Record<'false' | 'true', PackagedService>> = {};
beforeAll(async () => {
  // Act: both packagings, for an organization
  [packaged.false, packaged.true] = await Promise.all([
    packageService([`organizationId=${ORG_ID}`]),
    packageService([`organizationId=${ORG_ID}`, 'fanOut=true']),
  ]);
}, 300_000);
afterAll(() => {
  packaged.false?.remove();
  packaged.true?.remove();
});

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

function stackOf(fanOut: 'false' | 'true') {
  const service = packaged[fanOut];
  if (!service) throw new Error(`fanOut=${fanOut} was not packaged`);
  return auditorStack(service.template);
}

/** The auditor's roles in its account, and a member account whose role trusts `trusted` (the parameter value). */
async function deploy(fanOut: 'false' | 'true', trusted: string): Promise<Sandbox> {
  const stack = stackOf(fanOut);
  sandbox = await startSandbox(
    {
      organization: { id: ORG_ID, managementAccount: AUDITOR_ACCOUNT },
      accounts: [
        {
          id: AUDITOR_ACCOUNT,
          caller: true,
          assumableRoles: [],
          roles: [...auditorRoles(stack), OTHER_ADMIN],
        },
        { id: MEMBER, assumableRoles: [], roles: [memberRole(MEMBER, trusted)] },
      ],
    },
    { issuers: false },
  );
  return sandbox;
}

/** AssumeRole into the member role as a session of `roleArn` (or with the auditor account's long-term keys). */
async function assumeAs(box: Sandbox, roleArn: string | undefined): Promise<string> {
  const credentials =
    roleArn === undefined
      ? box.credentials()
      : box.roleCredentials(AUDITOR_ACCOUNT, roleArn.slice(roleArn.lastIndexOf('/') + 1));
  const sts = new STSClient({ endpoint: box.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  return sts
    .send(
      new AssumeRoleCommand({ RoleArn: MEMBER_ROLE, RoleSessionName: 'oidc-audit', ExternalId: EXTERNAL_ID }),
    )
    .then(
      () => 'admitted',
      (error: Error) => error.name,
    );
}

describe.each(['false', 'true'] as const)('the member-role trust with fanOut=%s', (fanOut) => {
  it('gets exactly the roles that assume into members from the Output AuditorRoleArn, a valid parameter', () => {
    // Prepare
    const stack = stackOf(fanOut);

    // Act
    const output = auditorRoleArnOutput(stack);
    const assuming = rolesThatAssume(stack);

    // Assess
    expect(output.split(',').sort()).toEqual(assuming);
    expect(assuming).toHaveLength(fanOut === 'true' ? 2 : 1);
    expect(() => memberRole(MEMBER, output)).not.toThrow();
  });

  it('admits every role of the stack that assumes into members, and refuses every other one', async () => {
    // Prepare
    const stack = stackOf(fanOut);
    const box = await deploy(fanOut, auditorRoleArnOutput(stack));
    const assuming = new Set(rolesThatAssume(stack));
    const roles = [...auditorRoles(stack), OTHER_ADMIN].map(
      (r) => `arn:aws:iam::${AUDITOR_ACCOUNT}:role/${r.name}`,
    );

    // Act
    const outcomes = await Promise.all(roles.map((arn) => assumeAs(box, arn)));
    const longTermUser = await assumeAs(box, undefined);

    // Assess
    expect(Object.fromEntries(roles.map((arn, i) => [arn, outcomes[i]]))).toEqual(
      Object.fromEntries(roles.map((arn) => [arn, assuming.has(arn) ? 'admitted' : 'AccessDenied'])),
    );
    expect(outcomes.at(-1)).toBe('AccessDenied');
    expect(longTermUser).toBe('AccessDenied');
    expect(box.log.assumeRoles.filter((a) => a.outcome === 'ok')).toHaveLength(assuming.size);
  });
});

describe('the trust of issue 23', () => {
  it('refuses the shards when the member role trusts only the audit function role, as it did', async () => {
    // Prepare: the member role deployed with the audit function's role alone
    const stack = stackOf('true');
    const [auditRole = '', shardRole = ''] = rolesThatAssume(stack);
    const box = await deploy('true', auditRole);

    // Act
    const outcomes = [await assumeAs(box, auditRole), await assumeAs(box, shardRole)];

    // Assess
    expect(shardRole).toContain('-shard');
    expect(outcomes).toEqual(['admitted', 'AccessDenied']);
  });
});
