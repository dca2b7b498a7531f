import { type EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAwsClients, signOnce } from '../../src/clients/aws.ts';
import { MemoizedKeySignatureV4 } from '../../src/clients/signer.ts';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

/** The signer class a client was configured with (the SDK keeps its input config on the resolved one). */
const signerOf = (client: { config: object }) =>
  (client.config as { signerConstructor?: unknown }).signerConstructor;

describe('the audit clients signers', () => {
  it('sign the audit reads with memoized keys, and leave S3 its own multi-region signer', async () => {
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
    for (const client of reads) expect(signerOf(client)).toBe(MemoizedKeySignatureV4);
    expect(signerOf(s3)).toBeDefined();
    expect(signerOf(s3)).not.toBe(MemoizedKeySignatureV4);
  });
});

/** The host a client's next call goes to, read once its endpoint is resolved; the call is stopped there. */
async function hostOf(client: EKSClient): Promise<string> {
  client.middlewareStack.add(
    (() => async (args: { request: { hostname?: string } }) => {
      throw Object.assign(new Error('stopped before sending'), { host: args.request.hostname });
    }) as never,
    { step: 'build' },
  );
  const stopped = await client.send(new ListClustersCommand({})).catch((error: { host?: string }) => error);
  return String((stopped as { host?: string }).host);
}

describe('the settings the audit clients share', () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each([
    ['the standard endpoint by default', undefined, 'eks.us-east-1.amazonaws.com'],
    ['the FIPS endpoint under AWS_USE_FIPS_ENDPOINT=true', 'true', 'fips.eks.us-east-1.amazonaws.com'],
  ])('reach %s, read from the environment as the SDK reads it', async (_name, fips, host) => {
    // Prepare: no sandbox endpoint in the way
    vi.stubEnv('AWS_ENDPOINT_URL', undefined);
    vi.stubEnv('AWS_ENDPOINT_URL_EKS', undefined);
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', fips);
    const clients = createAwsClients();

    // Act
    const reached = await hostOf(clients.eks('us-east-1', credentials));

    // Assess
    expect(reached).toBe(host);
  });

  it('are read once for every client of a run, not once per client', async () => {
    // Prepare: the first client of the run resolves the setting
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', 'true');
    const clients = createAwsClients();
    const first = await clients.eks('eu-west-1', credentials).config.useFipsEndpoint();
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', 'false');

    // Act
    const later = await clients.iam('aws', { ...credentials }).config.useFipsEndpoint();
    const nextRun = await createAwsClients().eks('eu-west-1', credentials).config.useFipsEndpoint();

    // Assess
    expect(first).toBe(true);
    expect(later).toBe(true);
    expect(nextRun).toBe(false);
  });
});

describe('the signer of an audit client', () => {
  it('is built once and kept for every call, with the middleware stack cached per command', async () => {
    // Prepare
    const client = createAwsClients().eks('eu-west-1', credentials);

    // Act
    const first = await client.config.signer();
    const second = await client.config.signer();

    // Assess
    expect(second).toBe(first);
    expect(first).toBeInstanceOf(MemoizedKeySignatureV4);
    expect(client.config.cacheMiddleware).toBe(true);
  });

  it('is built again after a failed build', async () => {
    // Prepare
    const built = { count: 0 };
    const client = {
      config: {
        signer: async () => {
          built.count++;
          if (built.count === 1) throw new Error('no region');
          return { signer: built.count };
        },
      },
    };
    signOnce(client);

    // Act
    const failed = await client.config.signer().catch((error: Error) => error.message);
    const second = await client.config.signer();
    const third = await client.config.signer();

    // Assess
    expect(failed).toBe('no region');
    expect(second).toEqual({ signer: 2 });
    expect(third).toBe(second);
    expect(built.count).toBe(2);
  });
});
