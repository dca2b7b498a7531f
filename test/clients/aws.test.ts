import { ListClustersCommand } from '@aws-sdk/client-eks';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAwsClients } from '../../src/clients/aws.ts';
import { authorizationOf, expectedSignature, type SignedRequest } from './sigv4.ts';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

function accountCredentials(account: string) {
  return {
    accessKeyId: `ASIA${account}`,
    secretAccessKey: `secret-of-${account}`,
    sessionToken: `token-of-${account}`,
  };
}

/** Stops a client's next call at the given step and returns the request as it stood there. */
async function requestAt(
  client: { middlewareStack: { add(middleware: never, options: { step: string }): void } },
  step: 'build' | 'deserialize',
  call: () => Promise<unknown>,
): Promise<SignedRequest> {
  client.middlewareStack.add(
    (() => async (args: { request: SignedRequest }) => {
      throw Object.assign(new Error('stopped before sending'), { request: args.request });
    }) as never,
    { step },
  );
  const stopped = await call().catch((error: { request?: SignedRequest }) => error);
  const request = (stopped as { request?: SignedRequest }).request;
  if (!request) throw new Error(`the call was not stopped at ${step}: ${String(stopped)}`);
  return request;
}

describe('the audit clients', () => {
  it('resolve their middleware once per command, and let S3 follow a bucket to its region', async () => {
    // Prepare
    const clients = createAwsClients();

    // Act
    const reads = [
      clients.sts('us-east-1', credentials),
      clients.iam('aws', credentials),
      clients.eks('eu-west-1', credentials),
      clients.account('aws', credentials),
      clients.organizations('aws'),
      await clients.ec2('eu-west-1', credentials),
    ];
    const s3 = await clients.s3('eu-west-1');

    // Assess
    for (const client of reads) expect(client.config.cacheMiddleware).toBe(true);
    expect(s3.config.cacheMiddleware).toBeUndefined();
    expect(s3.config.followRegionRedirects).toBe(true);
  });

  it("sign each call with SigV4 for its own account's keys, region and service", async () => {
    // Prepare: two accounts read through clients of the same run, calls alternating between them
    const clients = createAwsClients();
    const [alpha, beta] = [accountCredentials('111111111111'), accountCredentials('222222222222')];

    // Act
    const sent = [];
    for (const identity of [alpha, beta, alpha, beta]) {
      const eks = clients.eks('eu-west-1', identity);
      const sts = clients.sts('ap-southeast-2', identity);
      sent.push({
        identity,
        region: 'eu-west-1',
        service: 'eks',
        request: await requestAt(eks, 'deserialize', () =>
          eks.send(new ListClustersCommand({ maxResults: 10 })),
        ),
      });
      sent.push({
        identity,
        region: 'ap-southeast-2',
        service: 'sts',
        request: await requestAt(sts, 'deserialize', () => sts.send(new GetCallerIdentityCommand({}))),
      });
    }

    // Assess
    expect(sent).toHaveLength(8);
    for (const { identity, region, service, request } of sent) {
      const authorization = authorizationOf(request);
      expect(authorization.accessKeyId).toBe(identity.accessKeyId);
      expect(authorization.scope).toMatch(new RegExp(`^\\d{8}/${region}/${service}/aws4_request$`));
      expect(authorization.signedHeaders).toContain('x-amz-security-token');
      expect(authorization.signature).toBe(expectedSignature(request, identity.secretAccessKey));
    }
  });
});

describe('the signer of an assumed-role client', () => {
  it('is one for all its calls, so that its signing keys are derived once and not for every request', async () => {
    // Prepare
    const clients = createAwsClients();
    const eks = clients.eks('eu-west-1', accountCredentials('111111111111'));
    const own = clients.eks('eu-west-1');

    // Act
    const [first, second] = [await eks.config.signer(), await eks.config.signer()];
    const [ownFirst, ownSecond] = [await own.config.signer(), await own.config.signer()];

    // Assess: the run's own identity keeps the SDK's signer, one per request
    expect(second).toBe(first);
    expect(ownSecond).not.toBe(ownFirst);
  });
});

describe('the settings of the audit clients', () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each([
    ['the standard endpoint by default', undefined, 'eks.us-east-1.amazonaws.com'],
    ['the FIPS endpoint under AWS_USE_FIPS_ENDPOINT=true', 'true', 'fips.eks.us-east-1.amazonaws.com'],
  ])('reach %s, read from the environment by the SDK', async (_name, fips, host) => {
    // Prepare: no sandbox endpoint in the way
    vi.stubEnv('AWS_ENDPOINT_URL', undefined);
    vi.stubEnv('AWS_ENDPOINT_URL_EKS', undefined);
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', fips);
    const eks = createAwsClients().eks('us-east-1', credentials);

    // Act
    const request = await requestAt(eks, 'build', () => eks.send(new ListClustersCommand({})));

    // Assess
    expect((request as SignedRequest & { hostname?: string }).hostname).toBe(host);
  });

  it('are read once per run, for every client of every account', async () => {
    // Prepare: FIPS on when the first client reads it, off for the second client's first call
    vi.stubEnv('AWS_ENDPOINT_URL', undefined);
    vi.stubEnv('AWS_ENDPOINT_URL_EKS', undefined);
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', 'true');
    const clients = createAwsClients();
    const alpha = clients.eks('us-east-1', accountCredentials('111111111111'));
    const first = await requestAt(alpha, 'build', () => alpha.send(new ListClustersCommand({})));
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', 'false');
    const beta = clients.eks('eu-west-1', accountCredentials('222222222222'));

    // Act
    const second = await requestAt(beta, 'build', () => beta.send(new ListClustersCommand({})));
    const later = createAwsClients().eks('eu-west-1', credentials);
    const otherRun = await requestAt(later, 'build', () => later.send(new ListClustersCommand({})));

    // Assess
    const hostname = (request: SignedRequest) => (request as SignedRequest & { hostname?: string }).hostname;
    expect(hostname(first)).toBe('fips.eks.us-east-1.amazonaws.com');
    expect(hostname(second)).toBe('fips.eks.eu-west-1.amazonaws.com');
    expect(hostname(otherRun)).toBe('eks.eu-west-1.amazonaws.com');
  });
});
