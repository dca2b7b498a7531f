import type { DiscoveryDocument } from '../model/inventory.ts';
import type { HostSession, HttpResponse } from './host-session.ts';
import { ProbeFailure } from './probe-failure.ts';

/** An https URL on port 443, the only kind IAM fetches keys from. */
export interface HttpsUrl {
  /** Lowercase; IPv6 without brackets. */
  host: string;
  /** Path plus query, as sent in the request line. */
  path: string;
}

/** Parses an https URL on port 443; throws UNSUPPORTED_URL naming why not. Issuers also refuse query and fragment. */
export function parseHttpsUrl(raw: string, kind: 'issuer' | 'jwks_uri'): HttpsUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ProbeFailure('UNSUPPORTED_URL', `${kind} "${raw}" is not a URL`);
  }
  // URL drops the port when it is the scheme's default, so any port left here is not 443.
  if (url.protocol !== 'https:' || url.port !== '') {
    throw new ProbeFailure('UNSUPPORTED_URL', `${kind} "${raw}" is not https on port 443`);
  }
  if (url.username || url.password)
    throw new ProbeFailure('UNSUPPORTED_URL', `${kind} "${raw}" carries credentials`);
  if (kind === 'issuer' && (url.search || url.hash)) {
    throw new ProbeFailure('UNSUPPORTED_URL', `issuer "${raw}" has a query or fragment`);
  }
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), path: url.pathname + url.search };
}

/** GETs `<issuer>/.well-known/openid-configuration`; it must be a JSON object with string issuer and jwks_uri. */
export async function fetchDiscovery(session: HostSession, url: HttpsUrl): Promise<DiscoveryDocument> {
  const path = `${withoutTrailingSlash(url.path)}/.well-known/openid-configuration`;
  const document = await getJson(session, path);
  const { issuer, jwks_uri: jwksUri } = document;
  if (typeof issuer !== 'string' || typeof jwksUri !== 'string') {
    throw new ProbeFailure(
      'INVALID_DOCUMENT',
      `${describe(session, path)}: discovery document lacks string "issuer" and "jwks_uri"`,
    );
  }
  return { issuer, jwksUri };
}

/** OIDC Discovery §4.3: the document must name the issuer it was fetched for (one trailing slash aside). */
export function issuerMismatch(issuer: string, discovery: DiscoveryDocument): ProbeFailure | undefined {
  if (withoutTrailingSlash(discovery.issuer) === withoutTrailingSlash(issuer)) return undefined;
  return new ProbeFailure(
    'ISSUER_MISMATCH',
    `discovery document of ${issuer} names issuer ${discovery.issuer}: tokens from this issuer fail validation`,
  );
}

/** GETs the JWKS and checks it holds at least one key. */
export async function fetchJwks(session: HostSession, url: HttpsUrl): Promise<void> {
  const document = await getJson(session, url.path);
  const keys = document.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new ProbeFailure('NO_KEYS', `${describe(session, url.path)}: JWKS has no "keys"`);
  }
}

async function getJson(session: HostSession, path: string): Promise<Record<string, unknown>> {
  const response = await session.get(path);
  if (response.status !== 200) throw statusFailure(session, path, response);
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body.toString('utf8'));
  } catch {
    throw new ProbeFailure('INVALID_JSON', `${describe(session, path)}: body is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProbeFailure('INVALID_JSON', `${describe(session, path)}: body is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

// Redirects are not followed: IAM does not follow them either, so a redirect is a broken issuer.
function statusFailure(session: HostSession, path: string, response: HttpResponse): ProbeFailure {
  const location = response.headers.location;
  const redirect =
    response.status >= 300 && response.status < 400 && location ? ` (redirect to ${location})` : '';
  return new ProbeFailure(
    `HTTP_${response.status}`,
    `${describe(session, path)} returned ${response.status}${redirect}`,
  );
}

function describe(session: HostSession, path: string): string {
  return `GET https://${session.host}${path}`;
}

function withoutTrailingSlash(value: string): string {
  return value.endsWith('/') ? value.slice(0, -1) : value;
}
