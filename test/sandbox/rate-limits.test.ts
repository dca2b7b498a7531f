import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { IAMClient, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { AWS_RATE_LIMITS, RateLimiter } from './rate-limits.ts';
import { regionRttMs } from './region-latency.ts';
import { defaultRegions } from './regions.ts';
import { type Sandbox, startSandbox } from './server.ts';
import { callerAccount, world } from './world-builders.ts';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

describe('the request-rate model', () => {
  it('lets a burst through, refuses the call after it, and refills at the sustained rate', () => {
    // Prepare
    let now = 0;
    const rates = new RateLimiter({ eks: { perSecond: 10, burst: 3, scope: 'account-region' } }, () => now);
    const take = () => rates.take('eks', '111111111111', 'us-east-1');

    // Act
    const burst = [take(), take(), take(), take()];
    now = 100; // one token back after 100 ms at 10 per second
    const refilled = [take(), take()];

    // Assess
    expect(burst).toEqual([true, true, true, false]);
    expect(refilled).toEqual([true, false]);
  });

  it('keeps one bucket per account and region for a regional service, one per account for a global one', () => {
    // Prepare
    const rates = new RateLimiter(
      {
        eks: { perSecond: 1, burst: 1, scope: 'account-region' },
        iam: { perSecond: 1, burst: 1, scope: 'account' },
      },
      () => 0,
    );

    // Act
    const eks = [
      rates.take('eks', '111111111111', 'us-east-1'),
      rates.take('eks', '111111111111', 'eu-west-1'),
      rates.take('eks', '222222222222', 'us-east-1'),
      rates.take('eks', '111111111111', 'us-east-1'),
    ];
    const iam = [
      rates.take('iam', '111111111111', 'us-east-1'),
      rates.take('iam', '111111111111', 'eu-west-1'),
    ];

    // Assess
    expect(eks).toEqual([true, true, true, false]);
    expect(iam).toEqual([true, false]);
  });

  it('models every service the inventory reads', () => {
    expect(Object.keys(AWS_RATE_LIMITS).sort()).toEqual([
      'account',
      'ec2',
      'eks',
      'iam',
      'organizations',
      'sts',
    ]);
  });

  it('answers "Rate exceeded" in the service\'s own throttling error once an account is over its rate', async () => {
    // Prepare
    sandbox = await startSandbox(
      world([callerAccount()], {
        faults: { rateLimits: { eks: { perSecond: 0.001, burst: 2, scope: 'account-region' } } },
      }),
      { issuers: false },
    );
    const config = { ...sandbox.clientConfig(), maxAttempts: 1 };
    const east = new EKSClient({ ...config, region: 'us-east-1' });
    const west = new EKSClient({ ...config, region: 'us-west-2' });
    const iam = new IAMClient(config);

    // Act
    await east.send(new ListClustersCommand({}));
    await east.send(new ListClustersCommand({}));
    const over = await east.send(new ListClustersCommand({})).catch((error: unknown) => error);
    const otherRegion = await west.send(new ListClustersCommand({}));
    const otherService = await iam.send(new ListOpenIDConnectProvidersCommand({}));

    // Assess
    expect(over).toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
    expect((over as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(429);
    expect(otherRegion.clusters).toEqual([]);
    expect(otherService.OpenIDConnectProviderList).toEqual([]);
    expect(sandbox.log.errors('ThrottlingException')).toBe(1);
  });
});

describe('the region-distance latency model', () => {
  it("knows a round trip between every pair of the partition's regions", () => {
    const regions = defaultRegions('aws');
    for (const from of regions)
      for (const to of regions) {
        const rtt = regionRttMs(from, to);
        expect(rtt, `${from} -> ${to}`).toBe(regionRttMs(to, from));
        expect(rtt, `${from} -> ${to}`).toBeGreaterThanOrEqual(from === to ? 0 : 2);
      }
    expect(regionRttMs('us-east-1', 'us-east-1')).toBe(0);
    expect(regionRttMs('us-east-1', 'ap-southeast-2')).toBeGreaterThan(regionRttMs('us-east-1', 'eu-west-1'));
  });

  it("adds the round trip from the auditor's region to the region a call is signed for", async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount()], { faults: { latencyFrom: 'us-east-1' } }), {
      issuers: false,
    });
    const config = { ...sandbox.clientConfig(), maxAttempts: 1 };
    const near = new EKSClient({ ...config, region: 'us-east-1' });
    const far = new EKSClient({ ...config, region: 'ap-southeast-2' });
    await Promise.all([near.send(new ListClustersCommand({})), far.send(new ListClustersCommand({}))]);

    // Act
    const timed = async (client: EKSClient) => {
      const started = performance.now();
      await client.send(new ListClustersCommand({}));
      return performance.now() - started;
    };
    const nearMs = await timed(near);
    const farMs = await timed(far);

    // Assess
    expect(farMs).toBeGreaterThanOrEqual(regionRttMs('us-east-1', 'ap-southeast-2') - 5);
    expect(nearMs).toBeLessThan(farMs);
  });
});
