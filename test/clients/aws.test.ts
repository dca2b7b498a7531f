import { describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/clients/aws.ts';
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
