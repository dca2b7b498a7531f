import { IAMClient, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from './server.ts';
import { account, CALLER_ID, callerAccount, MEMBER_ID, OTHER_ID, provider, world } from './world-builders.ts';

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
    const assumed = await sts(sandbox).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${MEMBER_ID}:role/OIDCAuditRole`,
        RoleSessionName: 'oidc-audit',
        ExternalId: 'audit-ext',
      }),
    );
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
    const assumed = await sts(sandbox).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${MEMBER_ID}:role/OIDCAuditRole`,
        RoleSessionName: 'oidc-audit',
        ExternalId: 'audit-ext',
      }),
    );

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
});
