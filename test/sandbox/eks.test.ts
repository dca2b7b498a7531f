import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  ListAddonsCommand,
  ListClustersCommand,
  paginateListClusters,
  paginateListPodIdentityAssociations,
} from '@aws-sdk/client-eks';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from './server.ts';
import { CALLER_ID, callerAccount, cluster, clusters, derivedIssuer, world } from './world-builders.ts';

const ID = 'ABCDEF0123456789ABCDEF0123456789';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

function eks(s: Sandbox, region = 'us-east-1'): EKSClient {
  return new EKSClient({ ...s.clientConfig(undefined, region), maxAttempts: 1 });
}

describe('eks', () => {
  it('pages ListClusters by 100 within one region', async () => {
    // Prepare
    const regional = [...clusters(150, 'us-east-1'), ...clusters(3, 'eu-west-1', 'eu')];
    sandbox = await startSandbox(world([callerAccount({ clusters: regional })]), { issuers: false });

    // Act
    const pages = [];
    for await (const page of paginateListClusters({ client: eks(sandbox) }, { maxResults: 100 }))
      pages.push(page);
    const europe = await eks(sandbox, 'eu-west-1').send(new ListClustersCommand({}));

    // Assess
    expect(pages.map((p) => p.clusters?.length)).toEqual([100, 50]);
    expect(pages[1]?.clusters?.[49]).toBe('cluster-149');
    expect(europe.clusters).toEqual(['eu-000', 'eu-001', 'eu-002']);
    expect(sandbox.log.calls('eks', 'ListClusters')).toBe(3);
  });

  it('rejects maxResults over 100 and a token from another region', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount({ clusters: clusters(101) })]), { issuers: false });
    const first = await eks(sandbox).send(new ListClustersCommand({ maxResults: 100 }));

    // Act
    const tooMany = await eks(sandbox)
      .send(new ListClustersCommand({ maxResults: 101 }))
      .catch((e: unknown) => e);
    const foreignToken = await eks(sandbox, 'eu-west-1')
      .send(new ListClustersCommand({ nextToken: first.nextToken }))
      .catch((e: unknown) => e);

    // Assess
    expect(tooMany).toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
    expect(foreignToken).toMatchObject({ name: 'InvalidParameterException' });
  });

  it('describes a cluster with its issuer, and one without an issuer without identity', async () => {
    // Prepare
    sandbox = await startSandbox(
      world([
        callerAccount({
          clusters: [
            cluster('prod', 'us-east-1', { issuer: ID, version: '1.30', createdAt: '2023-01-02T03:04:05Z' }),
            cluster('outpost', 'us-east-1', { issuer: null }),
            cluster('derived', 'us-east-1'),
          ],
        }),
      ]),
      { issuers: false },
    );
    const client = eks(sandbox);

    // Act
    const prod = await client.send(new DescribeClusterCommand({ name: 'prod' }));
    const outpost = await client.send(new DescribeClusterCommand({ name: 'outpost' }));
    const derived = await client.send(new DescribeClusterCommand({ name: 'derived' }));

    // Assess
    expect(prod.cluster).toMatchObject({
      name: 'prod',
      arn: `arn:aws:eks:us-east-1:${CALLER_ID}:cluster/prod`,
      status: 'ACTIVE',
      version: '1.30',
      identity: { oidc: { issuer: `https://oidc.eks.us-east-1.amazonaws.com/id/${ID}` } },
    });
    expect(prod.cluster?.createdAt?.toISOString()).toBe('2023-01-02T03:04:05.000Z');
    expect(outpost.cluster?.identity).toBeUndefined();
    expect(derived.cluster?.identity?.oidc?.issuer).toBe(
      `https://${derivedIssuer(CALLER_ID, 'us-east-1', 'derived')}`,
    );
    expect(sandbox.clusterIssuer(CALLER_ID, 'us-east-1', 'derived')).toBe(
      derived.cluster?.identity?.oidc?.issuer,
    );
  });

  it('answers ResourceNotFoundException 404 for an unknown cluster', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount({ clusters: [cluster('prod', 'eu-west-1')] })]), {
      issuers: false,
    });

    // Act
    const error = await eks(sandbox)
      .send(new DescribeClusterCommand({ name: 'prod' }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    expect((error as Error).message).toBe('No cluster found for name: prod.');
  });

  it('refuses calls in a region the account has not enabled, or that the world breaks', async () => {
    // Prepare
    sandbox = await startSandbox(
      world([callerAccount({ regions: ['us-east-1', 'eu-west-1', 'af-south-1'] })], {
        faults: { disabledRegions: { [CALLER_ID]: ['af-south-1'] } },
      }),
      { issuers: false },
    );

    // Act
    const notEnabled = await eks(sandbox, 'ap-east-1')
      .send(new ListClustersCommand({}))
      .catch((e: unknown) => e);
    const broken = await eks(sandbox, 'af-south-1')
      .send(new ListClustersCommand({}))
      .catch((e: unknown) => e);
    const fine = await eks(sandbox, 'eu-west-1').send(new ListClustersCommand({}));

    // Assess
    expect(notEnabled).toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 403 },
    });
    expect(broken).toMatchObject({ name: 'UnrecognizedClientException' });
    expect(fine.clusters).toEqual([]);
    expect(sandbox.log.errors('UnrecognizedClientException')).toBe(2);
    expect(
      sandbox.log.entries.map((e) => [e.service, e.operation, e.account, e.region, e.status, e.error]),
    ).toEqual([
      ['eks', 'ListClusters', CALLER_ID, 'ap-east-1', 403, 'UnrecognizedClientException'],
      ['eks', 'ListClusters', CALLER_ID, 'af-south-1', 403, 'UnrecognizedClientException'],
      ['eks', 'ListClusters', CALLER_ID, 'eu-west-1', 200, undefined],
    ]);
  });
});

describe('eks: Pod Identity and add-ons', () => {
  it('pages the associations of a cluster by 100 and describes each with its role, as EKS stores it', async () => {
    // Prepare: 120 associations, the last one chained into a target role
    const associations = Array.from({ length: 120 }, (_, i) => ({
      namespace: 'apps',
      serviceAccount: `sa-${i}`,
      role: 'app',
      ...(i === 119
        ? {
            targetRole: 'arn:aws:iam::444455556666:role/target',
            externalId: 'ext-1',
            disableSessionTags: true,
            policy:
              '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
          }
        : {}),
    }));
    sandbox = await startSandbox(
      world([
        callerAccount({
          clusters: [cluster('prod', 'us-east-1', { podIdentityAssociations: associations })],
        }),
      ]),
      { issuers: false },
    );

    // Act
    const pages = [];
    for await (const page of paginateListPodIdentityAssociations(
      { client: eks(sandbox) },
      { clusterName: 'prod' },
    ))
      pages.push(page);
    const last = pages[1]?.associations?.at(-1);
    const described = await eks(sandbox).send(
      new DescribePodIdentityAssociationCommand({ clusterName: 'prod', associationId: last?.associationId }),
    );

    // Assess
    expect(pages.map((p) => p.associations?.length)).toEqual([100, 20]);
    expect(described.association).toMatchObject({
      namespace: 'apps',
      serviceAccount: 'sa-119',
      roleArn: `arn:aws:iam::${CALLER_ID}:role/app`,
      targetRoleArn: 'arn:aws:iam::444455556666:role/target',
      externalId: 'ext-1',
      disableSessionTags: true,
      policy: expect.stringContaining('s3:GetObject'),
    });
  });

  it('lists add-ons, describes one with its status, and says ResourceNotFoundException for a missing one', async () => {
    // Prepare
    const addons = [{ name: 'eks-pod-identity-agent', status: 'DEGRADED' as const }];
    sandbox = await startSandbox(
      world([callerAccount({ clusters: [cluster('prod', 'us-east-1', { addons })] })]),
      {
        issuers: false,
      },
    );

    // Act
    const listed = await eks(sandbox).send(new ListAddonsCommand({ clusterName: 'prod' }));
    const agent = await eks(sandbox).send(
      new DescribeAddonCommand({ clusterName: 'prod', addonName: 'eks-pod-identity-agent' }),
    );
    const missing = await eks(sandbox)
      .send(new DescribeAddonCommand({ clusterName: 'prod', addonName: 'vpc-cni' }))
      .catch((e: unknown) => e);

    // Assess
    expect(listed.addons).toEqual(['eks-pod-identity-agent']);
    expect(agent.addon).toMatchObject({ addonName: 'eks-pod-identity-agent', status: 'DEGRADED' });
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });
});
