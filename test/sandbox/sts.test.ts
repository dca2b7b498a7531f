import { IAMClient, ListOpenIDConnectProvidersCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from './server.ts';
import {
  account,
  CALLER_ID,
  callerAccount,
  MEMBER_ID,
  OTHER_ID,
  provider,
  role,
  world,
} from './world-builders.ts';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

function orgWorld() {
  return world([
    callerAccount(),
    account(MEMBER_ID, {
      externalId: 'audit-ext',
      oidcProviders: [
        provider('https://oidc.eks.eu-west-1.amazonaws.com/id/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
      ],
    }),
    account(OTHER_ID, { denyAssumeRole: true }),
  ]);
}

function sts(s: Sandbox, credentials = s.credentials()): STSClient {
  return new STSClient({ endpoint: s.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

/** AssumeRole into the member account's audit role, as the auditor asks for it. */
function assumeMember(s: Sandbox, credentials = s.credentials(), externalId = 'audit-ext') {
  return sts(s, credentials).send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${MEMBER_ID}:role/OIDCAuditRole`,
      RoleSessionName: 'oidc-audit',
      ExternalId: externalId,
    }),
  );
}

describe('sts', () => {
  it('tells the caller who it is', async () => {
    // Prepare
    sandbox = await startSandbox(orgWorld(), { issuers: false });

    // Act
    const identity = await sts(sandbox).send(new GetCallerIdentityCommand({}));

    // Assess
    expect(identity.Account).toBe(CALLER_ID);
    expect(identity.Arn).toBe(`arn:aws:iam::${CALLER_ID}:user/sandbox-auditor`);
    expect(sandbox.log.calls('sts', 'GetCallerIdentity')).toBe(1);
  });

  it('hands out temporary keys that see the target account', async () => {
    // Prepare
    sandbox = await startSandbox(orgWorld(), { issuers: false });

    // Act
    const assumed = await assumeMember(sandbox);
    const creds = assumed.Credentials;
    const temporary = {
      accessKeyId: creds?.AccessKeyId ?? '',
      secretAccessKey: creds?.SecretAccessKey ?? '',
      sessionToken: creds?.SessionToken ?? '',
    };
    const who = await sts(sandbox, temporary).send(new GetCallerIdentityCommand({}));
    const iam = new IAMClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials: temporary });
    const providers = await iam.send(new ListOpenIDConnectProvidersCommand({}));

    // Assess
    expect(creds?.AccessKeyId).toMatch(/^ASIA/);
    expect(creds?.Expiration?.getTime()).toBeGreaterThan(Date.now());
    expect(who.Account).toBe(MEMBER_ID);
    expect(who.Arn).toBe(`arn:aws:sts::${MEMBER_ID}:assumed-role/OIDCAuditRole/oidc-audit`);
    expect(providers.OpenIDConnectProviderList?.map((p) => p.Arn)).toEqual([
      `arn:aws:iam::${MEMBER_ID}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
    ]);
    expect(sandbox.log.assumeRoles).toEqual([
      {
        callerAccount: CALLER_ID,
        roleArn: `arn:aws:iam::${MEMBER_ID}:role/OIDCAuditRole`,
        roleSessionName: 'oidc-audit',
        externalId: 'audit-ext',
        outcome: 'ok',
      },
    ]);
  });

  it.each([
    ['the account denies it', `arn:aws:iam::${OTHER_ID}:role/OIDCAuditRole`, undefined],
    ['the external id is wrong', `arn:aws:iam::${MEMBER_ID}:role/OIDCAuditRole`, 'wrong'],
    ['the external id is missing', `arn:aws:iam::${MEMBER_ID}:role/OIDCAuditRole`, undefined],
    ['the role is not assumable', `arn:aws:iam::${MEMBER_ID}:role/Admin`, 'audit-ext'],
    ['the account is not in the world', 'arn:aws:iam::999999999999:role/OIDCAuditRole', undefined],
  ])('refuses AssumeRole with AccessDenied 403 when %s', async (_case, roleArn, externalId) => {
    // Prepare
    sandbox = await startSandbox(orgWorld(), { issuers: false });

    // Act
    const error = await sts(sandbox)
      .send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'oidc-audit', ExternalId: externalId }),
      )
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect((error as Error).message).toContain(`sts:AssumeRole on resource: ${roleArn}`);
    expect(sandbox.log.assumeRoles[0]?.outcome).toBe('AccessDenied');
  });

  it('rejects a malformed role ARN as a validation error', async () => {
    // Prepare
    sandbox = await startSandbox(orgWorld(), { issuers: false });

    // Act
    const error = await sts(sandbox)
      .send(new AssumeRoleCommand({ RoleArn: 'OIDCAuditRole', RoleSessionName: 'x1' }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
  });

  it('rejects unknown keys and temporary keys without their session token', async () => {
    // Prepare
    sandbox = await startSandbox(orgWorld(), { issuers: false });
    const assumed = await assumeMember(sandbox);

    // Act
    const unknown = await sts(sandbox, { accessKeyId: 'AKIANOTINTHEWORLD000', secretAccessKey: 'x' })
      .send(new GetCallerIdentityCommand({}))
      .catch((e: unknown) => e);
    const tokenless = await sts(sandbox, {
      accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
    })
      .send(new GetCallerIdentityCommand({}))
      .catch((e: unknown) => e);

    // Assess
    expect(unknown).toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
    expect(tokenless).toMatchObject({ name: 'InvalidClientTokenId' });
  });

  describe('with trust policies and role sessions', () => {
    const ORG = 'o-abcdefghij';
    const AUDIT = `arn:aws:iam::${CALLER_ID}:role/audit`;
    const lambdaTrust = {
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    };
    const assumeMemberRoleInOrg = {
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: 'arn:aws:iam::*:role/OIDCAuditRole',
          Condition: { StringEquals: { 'aws:ResourceOrgID': ORG } },
        },
      ],
    };
    const memberTrusting = (principals: string[]) =>
      role('OIDCAuditRole', {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: principals },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': 'audit-ext' } },
          },
        ],
      });

    function trustWorld(principals: string[], organization = true) {
      return world(
        [
          callerAccount({
            roles: [
              role('audit', lambdaTrust, { permissions: assumeMemberRoleInOrg }),
              role('shard', lambdaTrust, { permissions: assumeMemberRoleInOrg }),
              role('merge', lambdaTrust, { permissions: { Statement: [] } }),
            ],
          }),
          account(MEMBER_ID, { roles: [memberTrusting(principals)] }),
        ],
        organization ? { organization: { id: ORG, managementAccount: CALLER_ID } } : {},
      );
    }

    async function assumeAs(roleName: string, externalId = 'audit-ext') {
      const credentials = sandbox?.roleCredentials(CALLER_ID, roleName);
      if (!sandbox || !credentials) throw new Error('no sandbox');
      return assumeMember(sandbox, credentials, externalId).catch((e: unknown) => e as Error);
    }

    it('gives a test the keys of a named role, whose calls are that role session', async () => {
      // Prepare
      sandbox = await startSandbox(trustWorld([AUDIT]), { issuers: false });

      // Act
      const who = await sts(sandbox, sandbox.roleCredentials(CALLER_ID, 'audit', 'lambda')).send(
        new GetCallerIdentityCommand({}),
      );

      // Assess
      expect(who.Arn).toBe(`arn:aws:sts::${CALLER_ID}:assumed-role/audit/lambda`);
      expect(() => sandbox?.roleCredentials(CALLER_ID, 'nobody')).toThrow('no role nobody');
    });

    it('admits the role its trust names, with the ExternalId, and refuses another role of the same account', async () => {
      // Prepare
      sandbox = await startSandbox(trustWorld([AUDIT]), { issuers: false });

      // Act
      const audit = await assumeAs('audit');
      const shard = await assumeAs('shard');
      const noExternalId = await assumeAs('audit', 'wrong');

      // Assess
      expect(audit).toMatchObject({
        AssumedRoleUser: { Arn: expect.stringContaining('assumed-role/OIDCAuditRole') },
      });
      expect(shard).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      expect((shard as Error).message).toBe(
        `User: arn:aws:sts::${CALLER_ID}:assumed-role/shard/sandbox-session is not authorized to perform: ` +
          `sts:AssumeRole on resource: arn:aws:iam::${MEMBER_ID}:role/OIDCAuditRole`,
      );
      expect(noExternalId).toMatchObject({ name: 'AccessDenied' });
    });

    it('admits every role a list of principals names', async () => {
      // Prepare
      sandbox = await startSandbox(trustWorld([AUDIT, `arn:aws:iam::${CALLER_ID}:role/shard`]), {
        issuers: false,
      });

      // Act
      const outcomes = await Promise.all(['audit', 'shard'].map((name) => assumeAs(name)));

      // Assess
      expect(outcomes.map((o) => (o instanceof Error ? o.name : 'ok'))).toEqual(['ok', 'ok']);
    });

    it("needs the caller's own policy to allow it when the trust names the whole account", async () => {
      // Prepare: the member trusts the auditor account's root; the merge role may assume nothing
      sandbox = await startSandbox(trustWorld([`arn:aws:iam::${CALLER_ID}:root`]), { issuers: false });

      // Act
      const audit = await assumeAs('audit');
      const merge = await assumeAs('merge');

      // Assess
      expect(audit).not.toBeInstanceOf(Error);
      expect((merge as Error).message).toContain(
        'because no identity-based policy allows the sts:AssumeRole action',
      );
    });

    it('holds the caller to aws:ResourceOrgID: a member outside the organization is refused', async () => {
      // Prepare: the same trust, but no organization holds the member
      sandbox = await startSandbox(trustWorld([AUDIT], false), { issuers: false });

      // Act
      const audit = await assumeAs('audit');

      // Assess
      expect(audit).toMatchObject({ name: 'AccessDenied' });
    });

    it('derives the trust of a role a world names only in assumableRoles: the caller account, with its ExternalId', async () => {
      // Prepare
      sandbox = await startSandbox(orgWorld(), { issuers: false });
      const iam = new IAMClient({ ...sandbox.clientConfig(MEMBER_ID), maxAttempts: 1 });

      // Act
      const { Roles: roles = [] } = await iam.send(new ListRolesCommand({}));
      const listed = roles.find((r) => r.RoleName === 'OIDCAuditRole');

      // Assess
      expect(JSON.parse(decodeURIComponent(listed?.AssumeRolePolicyDocument ?? '{}'))).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${CALLER_ID}:root` },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': 'audit-ext' } },
          },
        ],
      });
    });
  });
});
