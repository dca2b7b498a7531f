// S3 (restXml, path-style as the SDK addresses a loopback endpoint): the buckets the world declares, with what
// the auditor uses: PutObject, GetObject, and the multipart upload lib-storage's Upload sends for large bodies
// (CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload). Bodies are raw bytes;
// the SDK's aws-chunked encoding (a streamed body with its checksum in a trailer) is decoded. Only the bucket's
// owner account reads and writes it, and only in the bucket's region.

import { randomUUID } from 'node:crypto';
import { ApiError } from '../errors.ts';
import type { Reply } from '../protocols/reply.ts';
import { el, esc } from '../protocols/xml.ts';
import type { SandboxState } from '../state.ts';
import type { CallContext, RawRequest, RestXmlService } from './types.ts';

export interface StoredObject {
  body: Buffer;
  contentType: string | undefined;
  etag: string;
}

interface Bucket {
  name: string;
  account: string;
  region: string;
  objects: Map<string, StoredObject>;
}

interface Upload {
  bucket: string;
  key: string;
  contentType: string | undefined;
  parts: Map<number, Buffer>;
}

interface S3State {
  buckets: Map<string, Bucket>;
  uploads: Map<string, Upload>;
}

const states = new WeakMap<SandboxState, S3State>();

function s3Of(state: SandboxState): S3State {
  let found = states.get(state);
  if (!found) {
    found = { buckets: new Map(), uploads: new Map() };
    for (const bucket of state.world.s3Buckets) {
      const objects = new Map<string, StoredObject>();
      for (const [key, text] of Object.entries(bucket.objects))
        objects.set(key, stored(Buffer.from(text, 'utf8'), undefined));
      found.buckets.set(bucket.name, {
        name: bucket.name,
        account: bucket.account ?? state.caller.id,
        region: bucket.region,
        objects,
      });
    }
    states.set(state, found);
  }
  return found;
}

function stored(body: Buffer, contentType: string | undefined): StoredObject {
  return { body, contentType, etag: `"${randomUUID().replaceAll('-', '')}"` };
}

/** What a test reads back: an object's bytes and content type, or undefined. */
export function s3Object(state: SandboxState, bucket: string, key: string): StoredObject | undefined {
  return s3Of(state).buckets.get(bucket)?.objects.get(key);
}

/** Keys in a bucket, sorted; and the multipart uploads still open (an aborted or completed one is gone). */
export function s3Keys(state: SandboxState, bucket: string): string[] {
  return [...(s3Of(state).buckets.get(bucket)?.objects.keys() ?? [])].sort();
}

export function s3OpenUploads(state: SandboxState): number {
  return s3Of(state).uploads.size;
}

/** `/bucket/key/with/slashes` → bucket and key (URL-decoded). */
function target(path: string): { bucket: string; key: string } {
  const [, bucket = '', ...rest] = path.split('/');
  return { bucket: decodeURIComponent(bucket), key: rest.map((part) => decodeURIComponent(part)).join('/') };
}

/**
 * The body as sent: the SDK streams an upload of unknown length as aws-chunked (`<hex size>[;chunk-signature=…]`,
 * CRLF, data, CRLF, …, a zero-size chunk, then trailer headers such as its checksum).
 */
function payload(request: RawRequest): Buffer {
  const chunked =
    (request.headers['content-encoding'] ?? '').includes('aws-chunked') ||
    (request.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
  if (!chunked) return request.body;
  const parts: Buffer[] = [];
  let at = 0;
  while (at < request.body.length) {
    const lineEnd = request.body.indexOf('\r\n', at);
    if (lineEnd < 0) throw new ApiError('IncompleteBody', 'aws-chunked body ends inside a chunk header', 400);
    const size = Number.parseInt(
      request.body.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '',
      16,
    );
    if (!Number.isInteger(size) || size < 0)
      throw new ApiError('InvalidRequest', 'aws-chunked body has a malformed chunk size', 400);
    if (size === 0) break;
    parts.push(request.body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function bucketFor(ctx: CallContext, name: string): Bucket {
  const bucket = s3Of(ctx.state).buckets.get(name);
  if (!bucket) throw new ApiError('NoSuchBucket', 'The specified bucket does not exist', 404);
  if (bucket.account !== ctx.account.id) throw new ApiError('AccessDenied', 'Access Denied', 403);
  // As S3's regional endpoint answers for a bucket in another region: 301 with the bucket's region in the body and
  // in x-amz-bucket-region, from which the SDK's followRegionRedirects sends again to the right one.
  if (bucket.region !== ctx.region)
    throw new ApiError(
      'PermanentRedirect',
      'The bucket you are attempting to access must be addressed using the specified endpoint.',
      301,
      { fields: { Region: bucket.region } },
    );
  return bucket;
}

function xmlReply(body: string, headers: Record<string, string> = {}): Reply {
  return {
    status: 200,
    headers: { 'content-type': 'application/xml', ...headers },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
  };
}

function empty(headers: Record<string, string> = {}, status = 200): Reply {
  return { status, headers, body: '' };
}

function operationOf(request: RawRequest): string {
  const { key } = target(request.path);
  const { method, query } = request;
  if (!key) return `${method} bucket`;
  if (method === 'PUT') return query.has('partNumber') ? 'UploadPart' : 'PutObject';
  if (method === 'GET') return 'GetObject';
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && query.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'DELETE' && query.has('uploadId')) return 'AbortMultipartUpload';
  return `${method} object`;
}

function handle(ctx: CallContext, request: RawRequest, operation: string): Reply {
  const { bucket: bucketName, key } = target(request.path);
  const bucket = bucketFor(ctx, bucketName);
  const s3 = s3Of(ctx.state);
  const upload = (): Upload => {
    const found = s3.uploads.get(request.query.get('uploadId') ?? '');
    if (!found || found.bucket !== bucket.name || found.key !== key)
      throw new ApiError('NoSuchUpload', 'The specified multipart upload does not exist.', 404);
    return found;
  };
  switch (operation) {
    case 'PutObject': {
      const object = stored(payload(request), request.headers['content-type']);
      bucket.objects.set(key, object);
      return empty({ etag: object.etag });
    }
    case 'GetObject': {
      const object = bucket.objects.get(key);
      if (!object) throw new ApiError('NoSuchKey', 'The specified key does not exist.', 404);
      return {
        status: 200,
        headers: {
          'content-type': object.contentType ?? 'binary/octet-stream',
          etag: object.etag,
        },
        body: object.body,
      };
    }
    case 'CreateMultipartUpload': {
      const uploadId = randomUUID();
      s3.uploads.set(uploadId, {
        bucket: bucket.name,
        key,
        contentType: request.headers['content-type'],
        parts: new Map(),
      });
      return xmlReply(
        `<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${el('Bucket', bucket.name)}${el('Key', key)}${el('UploadId', uploadId)}</InitiateMultipartUploadResult>`,
      );
    }
    case 'UploadPart': {
      const part = Number(request.query.get('partNumber'));
      if (!Number.isInteger(part) || part < 1 || part > 10_000)
        throw new ApiError('InvalidArgument', 'Part number must be an integer between 1 and 10000', 400);
      upload().parts.set(part, payload(request));
      return empty({ etag: `"part-${part}"` });
    }
    case 'CompleteMultipartUpload': {
      const open = upload();
      const numbers = [...request.body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map(
        (m) => Number(m[1]),
      );
      if (numbers.length === 0)
        throw new ApiError('MalformedXML', 'The XML you provided was not well-formed', 400);
      const parts = numbers.map((n) => {
        const body = open.parts.get(n);
        if (!body) throw new ApiError('InvalidPart', `Part ${n} was not uploaded`, 400);
        return body;
      });
      // Every part but the last must be at least 5 MiB, as S3 requires.
      if (parts.slice(0, -1).some((body) => body.length < 5 * 1024 * 1024))
        throw new ApiError(
          'EntityTooSmall',
          'Your proposed upload is smaller than the minimum allowed size',
          400,
        );
      const object = stored(Buffer.concat(parts), open.contentType);
      bucket.objects.set(key, object);
      s3.uploads.delete(request.query.get('uploadId') ?? '');
      return xmlReply(
        `<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${el('Bucket', bucket.name)}${el('Key', key)}${el('ETag', object.etag)}</CompleteMultipartUploadResult>`,
      );
    }
    case 'AbortMultipartUpload':
      upload();
      s3.uploads.delete(request.query.get('uploadId') ?? '');
      return empty({}, 204);
    default:
      throw new ApiError('NotImplemented', `The sandbox does not emulate ${esc(operation)}`, 501);
  }
}

export const s3: RestXmlService = {
  name: 's3',
  signingName: 's3',
  protocol: 'restXml',
  // Reachable from any region the caller signs for; the bucket itself says where it lives (bucketFor).
  global: true,
  operationOf,
  handle,
};
