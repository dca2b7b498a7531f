import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from './server.ts';
import { account, CALLER_ID, callerAccount, MEMBER_ID, world } from './world-builders.ts';

const BUCKET = 'audit-reports-test';
const MEMBER = MEMBER_ID;

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

async function s3(options: { objects?: Record<string, string> } = {}) {
  sandbox = await startSandbox(
    world([callerAccount(), account(MEMBER)], {
      s3Buckets: [{ name: BUCKET, region: 'us-east-1', objects: options.objects ?? {} }],
    }),
    { issuers: false },
  );
  const client = new S3Client({ ...sandbox.clientConfig(undefined, 'us-east-1'), maxAttempts: 1 });
  return { client, sandbox };
}

describe('the sandbox S3', () => {
  it('stores an object put and gives it back, bytes and content type', async () => {
    // Prepare
    const { client, sandbox } = await s3();
    const body = randomBytes(1000);

    // Act
    await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'reports/a b/report.bin', Body: body, ContentType: 'x/y' }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'reports/a b/report.bin' }));

    // Assess
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? [])).toEqual(body);
    expect(got.ContentType).toBe('x/y');
    expect(sandbox.s3.keys(BUCKET)).toEqual(['reports/a b/report.bin']);
  });

  it('takes a streamed upload of 12 MiB in parts and completes it as one object', async () => {
    // Prepare
    const { client, sandbox } = await s3();
    const body = randomBytes(12 * 1024 * 1024);
    const stream = new PassThrough();

    // Act
    const upload = new Upload({
      client,
      params: { Bucket: BUCKET, Key: 'big.bin', Body: stream, ContentType: 'application/octet-stream' },
      partSize: 5 * 1024 * 1024,
      queueSize: 2,
    });
    const done = upload.done();
    for (let at = 0; at < body.length; at += 1024 * 1024) stream.write(body.subarray(at, at + 1024 * 1024));
    stream.end();
    await done;

    // Assess
    expect(sandbox.s3.object(BUCKET, 'big.bin')?.body.equals(body)).toBe(true);
    expect(sandbox.log.calls('s3', 'CreateMultipartUpload')).toBe(1);
    expect(sandbox.log.calls('s3', 'UploadPart')).toBe(3);
    expect(sandbox.log.calls('s3', 'CompleteMultipartUpload')).toBe(1);
    expect(sandbox.s3.openUploads()).toBe(0);
  });

  it('serves the objects the world declares', async () => {
    // Prepare
    const { client } = await s3({ objects: { 'config/suppressions.yaml': 'suppressions: []\n' } });

    // Act
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'config/suppressions.yaml' }));

    // Assess
    expect(await got.Body?.transformToString()).toBe('suppressions: []\n');
  });

  it.each([
    ['NoSuchKey for a key that is not there', CALLER_ID, BUCKET, 'missing', 'NoSuchKey'],
    ['NoSuchBucket for a bucket that is not there', CALLER_ID, 'no-such-bucket', 'k', 'NoSuchBucket'],
    ['AccessDenied to an account that does not own the bucket', MEMBER, BUCKET, 'k', 'AccessDenied'],
  ])('answers %s', async (_, account, bucket, key, code) => {
    // Prepare
    const { sandbox } = await s3();
    const client = new S3Client({ ...sandbox.clientConfig(account, 'us-east-1'), maxAttempts: 1 });

    // Act
    const error = await client
      .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: code });
  });
});
