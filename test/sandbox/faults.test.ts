import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient, ListClustersCommand, ListNodegroupsCommand } from '@aws-sdk/client-eks';
import {
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { ListPoliciesCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FaultInjector } from './faults.ts';
import { type Sandbox, startSandbox } from './server.ts';
import { parseWorld } from './world.ts';
import { account, CALLER_ID, callerAccount, clusters, MEMBER_ID, world } from './world-builders.ts';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

describe('fault injection', () => {
  it('throttles deterministically by seed and the SDK standard retry gets every call through', async () => {
    // Prepare: seed 9 draws throttle, pass, throttle, pass, pass, pass at rate 0.5.
    sandbox = await startSandbox(
      world([callerAccount({ clusters: clusters(3) })], { faults: { throttleRate: 0.5, seed: 9 } }),
      { issuers: false },
    );
    // The standard strategy with no back-off between attempts: what is tested is which attempt gets through, and
    // the SDK's back-off would only have the test wait a second on the clock.
    const noBackOff = () => new ConfiguredRetryStrategy(5, () => 0);
    const eks = new EKSClient({ ...sandbox.clientConfig(), retryStrategy: noBackOff() });
    const sts = new STSClient({ ...sandbox.clientConfig(), retryStrategy: noBackOff() });

    // Act
    const listed = await eks.send(new ListClustersCommand({}));
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    await eks.send(new ListClustersCommand({}));
    await sts.send(new GetCallerIdentityCommand({}));

    // Assess
    expect(listed.clusters).toHaveLength(3);
    expect(identity.Account).toBe(CALLER_ID);
    expect(listed.$metadata.attempts).toBe(2);
    expect(identity.$metadata.attempts).toBe(2);
    expect(sandbox.log.errors('ThrottlingException')).toBe(1);
    expect(sandbox.log.errors('Throttling')).toBe(1);
    expect(sandbox.log.calls()).toBe(6);
  });

  it('throttles with the names the SDK treats as throttling, per protocol', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount()], { faults: { throttleRate: 1 } }), {
      issuers: false,
    });
    const config = { ...sandbox.clientConfig(), maxAttempts: 1 };

    // Act
    const errors = await Promise.all([
      new IAMClient(config).send(new ListOpenIDConnectProvidersCommand({})).catch((e: unknown) => e),
      new EKSClient(config).send(new ListClustersCommand({})).catch((e: unknown) => e),
      new AccountClient(config).send(new ListRegionsCommand({})).catch((e: unknown) => e),
      new EC2Client(config).send(new DescribeRegionsCommand({})).catch((e: unknown) => e),
    ]);

    // Assess
    expect(errors.map((e) => (e as Error).name)).toEqual([
      'Throttling',
      'ThrottlingException',
      'TooManyRequestsException',
      'RequestLimitExceeded',
    ]);
  });

  it('turns faults on and off while running', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount()]), { issuers: false });
    const iam = new IAMClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
    await iam.send(new ListOpenIDConnectProvidersCommand({}));

    // Act
    sandbox.faults.update({ errorRate5xx: { iam: 1 } });
    const failed = await iam.send(new ListOpenIDConnectProvidersCommand({})).catch((e: unknown) => e);
    sandbox.faults.update({ errorRate5xx: 0 });
    const recovered = await iam.send(new ListOpenIDConnectProvidersCommand({}));

    // Assess
    expect(failed).toMatchObject({ name: 'ServiceFailureException', $metadata: { httpStatusCode: 500 } });
    expect(recovered.OpenIDConnectProviderList).toEqual([]);
  });

  it('denies one operation of one account and leaves the fallback open', async () => {
    // Prepare
    sandbox = await startSandbox(
      world([callerAccount()], {
        faults: { accessDenied: [{ account: CALLER_ID, service: 'account', operations: ['ListRegions'] }] },
      }),
      { issuers: false },
    );
    const config = { ...sandbox.clientConfig(), maxAttempts: 1 };

    // Act
    const denied = await new AccountClient(config).send(new ListRegionsCommand({})).catch((e: unknown) => e);
    const fallback = await new EC2Client(config).send(new DescribeRegionsCommand({}));

    // Assess
    expect(denied).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    expect((denied as Error).message).toContain('account:ListRegions');
    expect(fallback.Regions?.length).toBe(17);
  });

  it('delays every answer by the configured latency', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount()], { faults: { latencyMs: { eks: 60 } } }), {
      issuers: false,
    });
    const config = { ...sandbox.clientConfig(), maxAttempts: 1 };
    await new EKSClient(config).send(new ListClustersCommand({}));

    // Act
    const started = performance.now();
    await new EKSClient(config).send(new ListClustersCommand({}));
    const eksMs = performance.now() - started;

    // Assess
    expect(eksMs).toBeGreaterThanOrEqual(55);
  });

  it('leaves requests to a hanging endpoint unanswered while the other regions answer', async () => {
    // Prepare
    sandbox = await startSandbox(
      world([callerAccount({ regions: ['us-east-1', 'eu-west-1'], clusters: clusters(1) })], {
        faults: { hangingEndpoints: [{ service: 'eks', region: 'eu-west-1' }] },
      }),
      { issuers: false },
    );
    const config = (region: string) => ({ ...sandbox?.clientConfig(CALLER_ID, region), maxAttempts: 1 });
    const abort = new AbortController();
    let settled = false;
    const hung = new EKSClient(config('eu-west-1'))
      .send(new ListClustersCommand({}), { abortSignal: abort.signal })
      .finally(() => {
        settled = true;
      });
    await vi.waitFor(() => expect(sandbox?.log.inFlight).toBe(1));

    // Act
    const answered = await new EKSClient(config('us-east-1')).send(new ListClustersCommand({}));

    // Assess: the hanging request is still open, and ends only when its client gives up
    expect(answered.clusters).toHaveLength(1);
    expect(settled).toBe(false);
    expect(sandbox.log.inFlight).toBe(1);
    abort.abort();
    await expect(hung).rejects.toThrow();
  });
});

describe('failing and holding chosen calls', () => {
  it('fails the next call of an operation with the error asked for, then stops', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount()]), { issuers: false });
    const iam = new IAMClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
    sandbox.faults.failNext('iam:ListRoles', { error: { code: 'AccessDenied', status: 403, message: 'no' } });

    // Act
    const failed = await iam.send(new ListRolesCommand({})).catch((e: unknown) => e);
    const next = await iam.send(new ListRolesCommand({}));
    const other = await iam.send(new ListOpenIDConnectProvidersCommand({}));

    // Assess
    expect(failed).toMatchObject({ name: 'AccessDenied', message: 'no', $metadata: { httpStatusCode: 403 } });
    expect(next.Roles?.length).toBeGreaterThan(0);
    expect(other.OpenIDConnectProviderList).toEqual([]);
    expect(sandbox.log.errors()).toBe(1);
  });

  it("fails only the account and region named, in the service's own words, as often as asked", async () => {
    // Prepare: two accounts in two regions; the member's ListClusters in eu-west-1 denied every time
    sandbox = await startSandbox(
      world([
        callerAccount({ regions: ['us-east-1', 'eu-west-1'] }),
        account(MEMBER_ID, { regions: ['us-east-1', 'eu-west-1'] }),
      ]),
      { issuers: false },
    );
    const eks = (id: string, region: string) =>
      new EKSClient({ ...sandbox?.clientConfig(id, region), maxAttempts: 1 });
    sandbox.faults.failNext('eks:ListClusters', {
      account: MEMBER_ID,
      region: 'eu-west-1',
      error: 'accessDenied',
      times: Number.POSITIVE_INFINITY,
    });

    // Act
    const denied = await Promise.all(
      [1, 2, 3].map(() =>
        eks(MEMBER_ID, 'eu-west-1')
          .send(new ListClustersCommand({}))
          .catch((e) => e),
      ),
    );
    const answered = await Promise.all([
      eks(MEMBER_ID, 'us-east-1').send(new ListClustersCommand({})),
      eks(CALLER_ID, 'eu-west-1').send(new ListClustersCommand({})),
    ]);

    // Assess
    expect(denied.map((e: Error) => e.name)).toEqual(Array(3).fill('AccessDeniedException'));
    expect(answered.map((a) => a.clusters)).toEqual([[], []]);
  });

  it('lets the first calls pass when asked to fail later ones, and a world can ask for it from the start', async () => {
    // Prepare: the world fails the second ListRegions with a throttle
    sandbox = await startSandbox(
      world([callerAccount()], {
        faults: {
          failFirst: [{ service: 'iam', operation: 'ListRoles', after: 1, count: 1, error: 'throttle' }],
        },
      }),
      { issuers: false },
    );
    const iam = new IAMClient({ ...sandbox.clientConfig(), maxAttempts: 1 });

    // Act
    const outcomes = [];
    for (let i = 0; i < 3; i++)
      outcomes.push(
        await iam.send(new ListRolesCommand({})).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      );

    // Assess
    expect(outcomes).toEqual(['ok', 'Throttling', 'ok']);
  });

  it('holds back the answers to a call until released, while other calls are answered', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount({ clusters: clusters(1) })]), { issuers: false });
    const config = { ...sandbox.clientConfig(), maxAttempts: 1 };
    const release = sandbox.faults.hold('eks:ListClusters', { region: 'us-east-1' });
    let settled = false;
    const held = new EKSClient(config).send(new ListClustersCommand({})).finally(() => {
      settled = true;
    });
    await vi.waitFor(() => expect(sandbox?.log.inFlight).toBe(1), { timeout: 5_000 });

    // Act
    const identity = await new STSClient(config).send(new GetCallerIdentityCommand({}));
    const before = settled;
    release();
    const answer = await held;
    const after = await new EKSClient(config).send(new ListClustersCommand({}));

    // Assess: held while the identity was answered; answered once released; later calls not held
    expect(identity.Account).toBe(CALLER_ID);
    expect(before).toBe(false);
    expect(answer.clusters).toHaveLength(1);
    expect(after.clusters).toHaveLength(1);
    expect(sandbox.log.entriesOf('eks', 'ListClusters')).toHaveLength(2);
  });

  it('names a call that is not service:Operation', () => {
    // Prepare
    const faults = new FaultInjector(parseWorld(world([callerAccount()])).faults);

    // Act
    const bad = () => faults.failNext('eks' as never);

    // Assess
    expect(bad).toThrow('fault "eks": expected service:Operation, like eks:ListClusters');
    expect(() => faults.failNext('eks:ListClusters', { times: 0 })).toThrow('times: expected at least 1');
  });
});

describe('unsupported requests', () => {
  it('answers unknown operations at once in each protocol', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount()]), { issuers: false });
    const config = { ...sandbox.clientConfig(), maxAttempts: 1, requestHandler: { requestTimeout: 2000 } };

    // Act
    const errors = await Promise.all([
      new IAMClient(config).send(new ListUsersCommand({})).catch((e: unknown) => e),
      new EKSClient(config).send(new ListNodegroupsCommand({ clusterName: 'x' })).catch((e: unknown) => e),
      new OrganizationsClient(config)
        .send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }))
        .catch((e: unknown) => e),
    ]);

    // Assess
    expect(
      errors.map((e) => [
        (e as Error).name,
        (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
      ]),
    ).toEqual([
      ['InvalidAction', 400],
      ['UnknownOperationException', 404],
      ['UnknownOperationException', 400],
    ]);
  });

  it('answers an unknown service and an unsigned request with an AWS-style error', async () => {
    // Prepare
    sandbox = await startSandbox(world([callerAccount()]), { issuers: false });
    const scope =
      'AWS4-HMAC-SHA256 Credential=AKIA111111111111SBOX/20250101/us-east-1/lambda/aws4_request, Signature=x';

    // Act
    const unknown = await fetch(`${sandbox.endpoint}/2015-03-31/functions`, {
      headers: { authorization: scope },
    });
    const unsigned = await fetch(sandbox.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });

    // Assess
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });
});
