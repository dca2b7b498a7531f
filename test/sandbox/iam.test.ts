import {
  GetOpenIDConnectProviderCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from './server.ts';
import { CALLER_ID, callerAccount, irsaTrust, provider, role, world } from './world-builders.ts';

const ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
const THUMBPRINT = '9e99a48a9960b14926bb7f3b02e22da2b0ab7280';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

function iam(s: Sandbox): IAMClient {
  return new IAMClient({ ...s.clientConfig(), maxAttempts: 1 });
}

function manyRoles(count: number) {
  return Array.from({ length: count }, (_, i) =>
    role(
      `app-${String(i).padStart(4, '0')}`,
      irsaTrust(CALLER_ID, ISSUER, `system:serviceaccount:ns:sa-${i}`),
    ),
  );
}

describe('iam', () => {
  it('lists providers and returns each without its scheme, with audiences, thumbprints and tags', async () => {
    // Prepare
    sandbox = await startSandbox(
      world([
        callerAccount({
          oidcProviders: [
            provider(`https://${ISSUER}`, {
              clientIds: ['sts.amazonaws.com', 'other'],
              thumbprints: [THUMBPRINT],
              tags: { team: 'platform' },
              createdAt: '2023-05-01T00:00:00Z',
            }),
          ],
        }),
      ]),
      { issuers: false },
    );
    const client = iam(sandbox);

    // Act
    const listed = await client.send(new ListOpenIDConnectProvidersCommand({}));
    const arn = listed.OpenIDConnectProviderList?.[0]?.Arn ?? '';
    const got = await client.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));

    // Assess
    expect(arn).toBe(`arn:aws:iam::${CALLER_ID}:oidc-provider/${ISSUER}`);
    expect(got.Url).toBe(ISSUER);
    expect(got.ClientIDList).toEqual(['sts.amazonaws.com', 'other']);
    expect(got.ThumbprintList).toEqual([THUMBPRINT]);
    expect(got.Tags).toEqual([{ Key: 'team', Value: 'platform' }]);
    expect(got.CreateDate?.toISOString()).toBe('2023-05-01T00:00:00.000Z');
  });

  it('keeps an empty thumbprint list empty', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount({ oidcProviders: [provider(ISSUER)] })]), {
      issuers: false,
    });

    // Act
    const got = await iam(sandbox).send(
      new GetOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: `arn:aws:iam::${CALLER_ID}:oidc-provider/${ISSUER}`,
      }),
    );

    // Assess
    expect(got.ThumbprintList ?? []).toEqual([]);
    expect(got.ClientIDList).toEqual(['sts.amazonaws.com']);
  });

  it('answers NoSuchEntity 404 for an unknown provider', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount()]), { issuers: false });

    // Act
    const error = await iam(sandbox)
      .send(
        new GetOpenIDConnectProviderCommand({
          OpenIDConnectProviderArn: `arn:aws:iam::${CALLER_ID}:oidc-provider/${ISSUER}`,
        }),
      )
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'NoSuchEntityException', $metadata: { httpStatusCode: 404 } });
    expect((error as { Code?: string }).Code).toBe('NoSuchEntity');
  });

  it('pages ListRoles by MaxItems and Marker and returns trust policies URL-encoded', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount({ roles: manyRoles(1500), assumableRoles: [] })]), {
      issuers: false,
    });

    // Act
    const pages = [];
    for await (const page of paginateListRoles({ client: iam(sandbox), pageSize: 1000 }, {}))
      pages.push(page);

    // Assess
    expect(pages.map((p) => p.Roles?.length)).toEqual([1000, 500]);
    expect(pages.map((p) => p.IsTruncated)).toEqual([true, false]);
    expect(sandbox.log.calls('iam', 'ListRoles')).toBe(2);
    const first = pages[0]?.Roles?.[0];
    expect(first?.Arn).toBe(`arn:aws:iam::${CALLER_ID}:role/app-0000`);
    expect(first?.AssumeRolePolicyDocument).toMatch(/^%7B%22Version%22/);
    expect(JSON.parse(decodeURIComponent(first?.AssumeRolePolicyDocument ?? ''))).toEqual(
      irsaTrust(CALLER_ID, ISSUER, 'system:serviceaccount:ns:sa-0'),
    );
  });

  it('lists the assumable audit role beside declared roles, and rejects MaxItems over 1000', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount({ roles: manyRoles(2) })]), { issuers: false });

    // Act
    const listed = await iam(sandbox).send(new ListRolesCommand({}));
    const tooMany = await iam(sandbox)
      .send(new ListRolesCommand({ MaxItems: 1001 }))
      .catch((e: unknown) => e);

    // Assess
    expect(listed.Roles?.map((r) => r.RoleName)).toEqual(['app-0000', 'app-0001', 'OIDCAuditRole']);
    expect(listed.IsTruncated).toBe(false);
    expect(tooMany).toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
  });

  it('passes a malformed trust policy through as written', async () => {
    // Prepare
    const broken = '{"Version":"2012-10-17","Statement":[';
    sandbox = await startSandbox(
      world([callerAccount({ roles: [role('broken', broken)], assumableRoles: [] })]),
      {
        issuers: false,
      },
    );

    // Act
    const listed = await iam(sandbox).send(new ListRolesCommand({}));

    // Assess
    expect(decodeURIComponent(listed.Roles?.[0]?.AssumeRolePolicyDocument ?? '')).toBe(broken);
  });
});
