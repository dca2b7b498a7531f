import { AccountClient, ListRegionsCommand, paginateListRegions } from '@aws-sdk/client-account';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { KNOWN_REGIONS } from '../../src/config/regions.ts';
import { defaultRegions, PARTITIONS } from './regions.ts';
import { type Sandbox, startSandbox } from './server.ts';
import { account, CALLER_ID, callerAccount, MEMBER_ID, OTHER_ID, world } from './world-builders.ts';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

const OPTED_IN = ['us-east-1', 'eu-west-1', 'af-south-1'];

function regionWorld() {
  return world(
    [
      callerAccount({ regions: OPTED_IN }),
      account(MEMBER_ID, { regions: ['us-east-1', 'me-south-1'] }),
      account(OTHER_ID),
    ],
    { organization: { managementAccount: CALLER_ID } },
  );
}

function accountClient(s: Sandbox, id?: string): AccountClient {
  return new AccountClient({ ...s.clientConfig(id), maxAttempts: 1 });
}

describe('account:ListRegions', () => {
  it('lists enabled regions with their opt-in status, paged', async () => {
    // Prepare
    sandbox = await startSandbox(regionWorld(), { issuers: false });

    // Act
    const regions = [];
    const pages = paginateListRegions(
      { client: accountClient(sandbox), pageSize: 2 },
      { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] },
    );
    for await (const page of pages) regions.push(...(page.Regions ?? []));

    // Assess
    expect(regions).toEqual([
      { RegionName: 'af-south-1', RegionOptStatus: 'ENABLED' },
      { RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
      { RegionName: 'us-east-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
    ]);
    expect(sandbox.log.calls('account', 'ListRegions')).toBe(2);
  });

  it('reports every other region as DISABLED', async () => {
    // Prepare
    sandbox = await startSandbox(regionWorld(), { issuers: false });

    // Act
    const disabled = await accountClient(sandbox).send(
      new ListRegionsCommand({ RegionOptStatusContains: ['DISABLED'], MaxResults: 50 }),
    );

    // Assess
    const names = disabled.Regions?.map((r) => r.RegionName) ?? [];
    expect(names).toContain('me-south-1');
    expect(names).toContain('us-west-2');
    expect(names).not.toContain('af-south-1');
  });

  it('lets the management account ask about a member, and nobody else', async () => {
    // Prepare
    sandbox = await startSandbox(regionWorld(), { issuers: false });

    // Act
    const member = await accountClient(sandbox).send(
      new ListRegionsCommand({
        AccountId: MEMBER_ID,
        RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'],
      }),
    );
    const denied = await accountClient(sandbox, OTHER_ID)
      .send(new ListRegionsCommand({ AccountId: MEMBER_ID }))
      .catch((e: unknown) => e);

    // Assess
    expect(member.Regions?.map((r) => r.RegionName)).toEqual(['me-south-1', 'us-east-1']);
    expect(denied).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
  });

  it('rejects MaxResults over 50 with a ValidationException', async () => {
    // Prepare
    sandbox = await startSandbox(regionWorld(), { issuers: false });

    // Act
    const error = await accountClient(sandbox)
      .send(new ListRegionsCommand({ MaxResults: 51 }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  });
});

describe('ec2:DescribeRegions', () => {
  it('gives the enabled regions, or all with their opt-in status', async () => {
    // Prepare
    sandbox = await startSandbox(regionWorld(), { issuers: false });
    const ec2 = new EC2Client({ ...sandbox.clientConfig(), maxAttempts: 1 });

    // Act
    const enabled = await ec2.send(new DescribeRegionsCommand({ AllRegions: false }));
    const all = await ec2.send(
      new DescribeRegionsCommand({ AllRegions: true, RegionNames: ['af-south-1', 'ap-east-1'] }),
    );

    // Assess
    expect(enabled.Regions?.map((r) => r.RegionName).sort()).toEqual([...OPTED_IN].sort());
    expect(enabled.Regions?.find((r) => r.RegionName === 'eu-west-1')).toEqual({
      RegionName: 'eu-west-1',
      Endpoint: 'ec2.eu-west-1.amazonaws.com',
      OptInStatus: 'opt-in-not-required',
    });
    expect(all.Regions).toEqual([
      { RegionName: 'af-south-1', Endpoint: 'ec2.af-south-1.amazonaws.com', OptInStatus: 'opted-in' },
      { RegionName: 'ap-east-1', Endpoint: 'ec2.ap-east-1.amazonaws.com', OptInStatus: 'not-opted-in' },
    ]);
  });

  it("knows the product's regions, no more and no fewer, those enabled by default among them", async () => {
    // Prepare
    sandbox = await startSandbox(regionWorld(), { issuers: false });
    const ec2 = new EC2Client({ ...sandbox.clientConfig(), maxAttempts: 1 });

    // Act
    const all = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));

    // Assess: the product's list (src/config/regions.ts) is the one source; every region enabled by default is in it
    const served = all.Regions?.map((r) => r.RegionName).sort();
    expect(served).toEqual([...KNOWN_REGIONS.aws].sort());
    for (const partition of PARTITIONS)
      expect(KNOWN_REGIONS[partition]).toEqual(expect.arrayContaining([...defaultRegions(partition)]));
  });

  it('fails with AuthFailure in a disabled region', async () => {
    // Prepare
    sandbox = await startSandbox(regionWorld(), { issuers: false });
    const ec2 = new EC2Client({ ...sandbox.clientConfig(undefined, 'ap-east-1'), maxAttempts: 1 });

    // Act
    const error = await ec2.send(new DescribeRegionsCommand({})).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'AuthFailure', $metadata: { httpStatusCode: 401 } });
  });
});
