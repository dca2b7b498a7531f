import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from './server.ts';
import { account, CALLER_ID, callerAccount, MEMBER_ID, world } from './world-builders.ts';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

/** The caller manages an organization of `members` more accounts spread over two OUs; one suspended. */
function orgWorld(members: number) {
  const accounts = Array.from({ length: members }, (_, i) =>
    account(String(300000000000 + i), {
      ou: i % 2 === 0 ? '/Workloads/Prod' : '/Workloads/Dev',
      status: i === 0 ? 'SUSPENDED' : 'ACTIVE',
    }),
  );
  return world([callerAccount({ ou: '/Security' }), ...accounts], {
    organization: { managementAccount: CALLER_ID, ous: ['/Sandbox'] },
  });
}

function orgs(s: Sandbox, id?: string): OrganizationsClient {
  return new OrganizationsClient({ ...s.clientConfig(id), maxAttempts: 1 });
}

describe('organizations', () => {
  it('pages ListAccounts by MaxResults with ACTIVE and SUSPENDED accounts', async () => {
    // Prepare
    sandbox = await startSandbox(orgWorld(44), { issuers: false });

    // Act
    const pages = [];
    for await (const page of paginateListAccounts({ client: orgs(sandbox), pageSize: 20 }, {}))
      pages.push(page);

    // Assess
    expect(pages.map((p) => p.Accounts?.length)).toEqual([20, 20, 5]);
    const all = pages.flatMap((p) => p.Accounts ?? []);
    expect(all[0]).toMatchObject({ Id: CALLER_ID, Name: 'security', Status: 'ACTIVE', State: 'ACTIVE' });
    expect(all[1]).toMatchObject({ Id: '300000000000', Status: 'SUSPENDED' });
    expect(all[0]?.Arn).toMatch(
      new RegExp(`^arn:aws:organizations::${CALLER_ID}:account/o-[a-z0-9]{10}/${CALLER_ID}$`),
    );
    expect(all[0]?.JoinedTimestamp).toBeInstanceOf(Date);
  });

  it('walks the OU tree from the root', async () => {
    // Prepare
    sandbox = await startSandbox(orgWorld(4), { issuers: false });
    const client = orgs(sandbox);

    // Act
    const roots = await client.send(new ListRootsCommand({}));
    const rootId = roots.Roots?.[0]?.Id ?? '';
    const top = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: rootId }));
    const workloads = top.OrganizationalUnits?.find((o) => o.Name === 'Workloads')?.Id ?? '';
    const below = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: workloads }));
    const prod = below.OrganizationalUnits?.find((o) => o.Name === 'Prod')?.Id ?? '';
    const prodAccounts = await client.send(new ListAccountsForParentCommand({ ParentId: prod }));
    const atRoot = await client.send(new ListAccountsForParentCommand({ ParentId: rootId }));

    // Assess
    expect(rootId).toMatch(/^r-[0-9a-z]{4}$/);
    expect(top.OrganizationalUnits?.map((o) => o.Name)).toEqual(['Sandbox', 'Security', 'Workloads']);
    expect(workloads).toMatch(/^ou-[0-9a-z]{4}-[0-9a-z]{8}$/);
    expect(below.OrganizationalUnits?.map((o) => o.Name)).toEqual(['Prod', 'Dev']);
    expect(prodAccounts.Accounts?.map((a) => a.Id)).toEqual(['300000000000', '300000000002']);
    expect(atRoot.Accounts).toEqual([]);
  });

  it('describes the organization to members but lists it only to the management account', async () => {
    // Prepare
    sandbox = await startSandbox(
      world([callerAccount(), account(MEMBER_ID)], { organization: { managementAccount: CALLER_ID } }),
      {
        issuers: false,
      },
    );

    // Act
    const described = await orgs(sandbox, MEMBER_ID).send(new DescribeOrganizationCommand({}));
    const listed = await orgs(sandbox, MEMBER_ID)
      .send(new ListAccountsCommand({}))
      .catch((e: unknown) => e);

    // Assess
    expect(described.Organization).toMatchObject({ MasterAccountId: CALLER_ID, FeatureSet: 'ALL' });
    expect(listed).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
  });

  it('answers AWSOrganizationsNotInUseException without an organization, ParentNotFound for a bad parent', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount()]), { issuers: false });
    const withOrg = await startSandbox(orgWorld(1), { issuers: false });

    // Act
    const notInUse = await orgs(sandbox)
      .send(new ListAccountsCommand({}))
      .catch((e: unknown) => e);
    const badParent = await orgs(withOrg)
      .send(new ListAccountsForParentCommand({ ParentId: 'ou-zzzz-00000000' }))
      .catch((e: unknown) => e);
    const tooBig = await orgs(withOrg)
      .send(new ListAccountsCommand({ MaxResults: 21 }))
      .catch((e: unknown) => e);
    await withOrg.stop();

    // Assess
    expect(notInUse).toMatchObject({ name: 'AWSOrganizationsNotInUseException' });
    expect(badParent).toMatchObject({ name: 'ParentNotFoundException' });
    expect(tooBig).toMatchObject({ name: 'InvalidInputException', Reason: 'MAX_VALUE_EXCEEDED' });
  });
});
