import { createHash, createHmac } from 'node:crypto';

// SigV4 as AWS documents it (docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html), written
// apart from the SDK so that a test can check what the SDK's signer sent.

/** A request as the SDK hands it to the HTTP handler, signed. */
export interface SignedRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

export interface Authorization {
  accessKeyId: string;
  /** date/region/service/aws4_request */
  scope: string;
  signedHeaders: string[];
  signature: string;
}

export function authorizationOf(request: SignedRequest): Authorization {
  const header = headerOf(request, 'authorization') ?? '';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\S+), SignedHeaders=(\S+), Signature=([0-9a-f]{64})$/.exec(
      header,
    );
  if (!match) throw new Error(`not a SigV4 authorization header: ${header}`);
  const [, accessKeyId = '', scope = '', signedHeaders = '', signature = ''] = match;
  return { accessKeyId, scope, signedHeaders: signedHeaders.split(';'), signature };
}

/** The signature the request should carry, computed from its own method, path, query, headers and body. */
export function expectedSignature(request: SignedRequest, secretAccessKey: string): string {
  const { scope, signedHeaders } = authorizationOf(request);
  const canonical = [
    request.method,
    canonicalPath(request.path),
    canonicalQuery(request.query ?? {}),
    ...signedHeaders.map((name) => `${name}:${(headerOf(request, name) ?? '').trim().replace(/\s+/g, ' ')}`),
    '',
    signedHeaders.join(';'),
    headerOf(request, 'x-amz-content-sha256') ?? sha256Hex(bodyBytes(request.body)),
  ].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    headerOf(request, 'x-amz-date'),
    scope,
    sha256Hex(canonical),
  ].join('\n');
  const [date = '', region = '', service = ''] = scope.split('/');
  let key: Buffer = Buffer.from(`AWS4${secretAccessKey}`);
  for (const part of [date, region, service, 'aws4_request']) key = hmac(key, part);
  return hmac(key, stringToSign).toString('hex');
}

function headerOf(request: SignedRequest, name: string): string | undefined {
  const found = Object.keys(request.headers).find((key) => key.toLowerCase() === name);
  return found === undefined ? undefined : request.headers[found];
}

const encode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

// Every service but S3 encodes each path segment twice.
const canonicalPath = (path: string) =>
  path
    .split('/')
    .map((segment) => encode(encode(segment)))
    .join('/');

function canonicalQuery(query: Record<string, string | string[] | null>): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    for (const one of Array.isArray(value) ? value : [value ?? ''])
      pairs.push(`${encode(name)}=${encode(one)}`);
  }
  return pairs.sort().join('&');
}

function bodyBytes(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new Error('a streamed body is not hashed here');
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest();
