// The sandbox's EKS authenticator: a bearer token is accepted as EKS accepts it (aws-iam-authenticator's
// Verify), then the sandbox's STS says who signed it. The token must be `k8s-aws-v1.` and the unpadded base64url
// of an https URL to the partition's regional STS host, path `/`, Action GetCallerIdentity, only the query
// parameters a presigned GetCallerIdentity carries, `x-k8s-aws-id` among the signed headers, X-Amz-Expires of at
// most 900 and an X-Amz-Date less than 15 minutes old. Then the signature is checked as STS would: signed again
// with the secret of the access key it names (and its session token), for the header `x-k8s-aws-id: <this
// cluster>`; a token signed for another cluster, or with another key, does not verify.

import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { dnsSuffix } from '../regions.ts';
import type { Identity, SandboxState } from '../state.ts';

const PREFIX = 'k8s-aws-v1.';
const ALLOWED = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);
const LIFETIME_MS = 15 * 60_000;

export type Verified = { ok: true; identity: Identity } | { ok: false; reason: string };

export async function verifyToken(
  state: SandboxState,
  authorization: string | undefined,
  clusterName: string,
  now = Date.now(),
): Promise<Verified> {
  const fail = (reason: string): Verified => ({ ok: false, reason });
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!token?.startsWith(PREFIX)) return fail(`token is missing the ${PREFIX} prefix`);
  let url: URL;
  try {
    url = new URL(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return fail('token is not a base64url URL');
  }
  const host = new RegExp(`^sts\\.[a-z0-9-]+\\.${dnsSuffix(state.partition).replaceAll('.', '\\.')}$`);
  if (url.protocol !== 'https:' || !host.test(url.hostname) || url.pathname !== '/')
    return fail(`unexpected URL ${url.protocol}//${url.hostname}${url.pathname}`);
  const params = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    if (!ALLOWED.has(key.toLowerCase()) || params.has(key.toLowerCase()))
      return fail(`unexpected query parameter ${key}`);
    params.set(key.toLowerCase(), value);
  }
  if (params.get('action') !== 'GetCallerIdentity') return fail('not a GetCallerIdentity URL');
  if (!(params.get('x-amz-signedheaders') ?? '').split(';').includes('x-k8s-aws-id'))
    return fail('x-k8s-aws-id is not signed');
  const expires = Number(params.get('x-amz-expires'));
  if (!Number.isInteger(expires) || expires < 0 || expires > 900) return fail('bad X-Amz-Expires');
  const date = parseAmzDate(params.get('x-amz-date') ?? '');
  if (date === undefined || now > date.getTime() + LIFETIME_MS || date.getTime() > now + 300_000)
    return fail('X-Amz-Date missing or expired');
  const [accessKeyId = '', , region = ''] = (params.get('x-amz-credential') ?? '').split('/');
  const identity = state.identities.get(accessKeyId);
  if (!identity) return fail('unknown access key');
  if (identity.sessionToken !== undefined && identity.sessionToken !== params.get('x-amz-security-token'))
    return fail('session token does not match');
  if ((identity.expiresAt ?? Infinity) <= now) return fail('credentials expired');
  const expected = await new SignatureV4({
    credentials: {
      accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}),
    },
    region,
    service: 'sts',
    sha256: Sha256,
  }).presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: url.hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: params.get('version') ?? '' },
      headers: { host: url.hostname, 'x-k8s-aws-id': clusterName },
    },
    { expiresIn: expires, signingDate: date },
  );
  if (expected.query?.['X-Amz-Signature'] !== params.get('x-amz-signature'))
    return fail('signature does not match (another key, or another cluster)');
  return { ok: true, identity };
}

function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}
