import pLimit from 'p-limit';
import { type ConnectTo, resolveConnectTarget } from './connect-to.ts';
import { fetchDiscovery, fetchJwks, type HttpsUrl, issuerMismatch, parseHttpsUrl } from './discovery.ts';
import { createHostSession, type HostSession } from './host-session.ts';
import { toProbeError } from './probe-failure.ts';
import { connectTls, probeTls, type TlsOptions, type TlsTarget } from './tls.ts';
import { createTrustStore } from './trust-store.ts';
import type { HostProbe, IssuerProbe, ProbeError } from './types.ts';

export interface ProbeOptions {
  connectTo?: readonly ConnectTo[];
  /** Connect + handshake, and each request, are bounded by this. Default 5000. */
  timeoutMs?: number;
  /** Largest discovery or JWKS body read. Default 256 KiB. */
  maxBodyBytes?: number;
  /** PEMs (bundles allowed) to verify against; default Node's store, which includes NODE_EXTRA_CA_CERTS. */
  trustedCAs?: string[];
  /** Hosts probed at once. Default 8. */
  concurrency?: number;
}

export interface ProbeResult {
  hosts: HostProbe[];
  issuers: IssuerProbe[];
}

export interface IssuerProber {
  /** Never rejects: every failure is a ProbeError on the host or issuer it concerns. */
  probe(issuers: string[]): Promise<ProbeResult>;
}

const HTTPS_PORT = 443;

export function createIssuerProber(options: ProbeOptions = {}): IssuerProber {
  const settings: Settings = {
    connectTo: options.connectTo ?? [],
    timeoutMs: options.timeoutMs ?? 5000,
    maxBodyBytes: options.maxBodyBytes ?? 256 * 1024,
    concurrency: options.concurrency ?? 8,
    // Shared by every run of this prober, so the default roots are parsed once.
    trustStore: createTrustStore(options.trustedCAs),
  };
  return { probe: (issuers) => runProbe(issuers, settings) };
}

interface Settings extends TlsOptions {
  connectTo: readonly ConnectTo[];
  maxBodyBytes: number;
  concurrency: number;
}

interface HostHandle {
  probe: HostProbe;
  session?: HostSession;
}

interface CrossHostJwks {
  result: IssuerProbe;
  url: HttpsUrl;
}

/**
 * Issuer hosts first, each over its one connection: discovery, then JWKS when it lives on the same host.
 * Then hosts that only serve JWKS for issuers elsewhere. Two phases rather than nested waits, so a host task
 * holding a concurrency slot never waits for a host that needs one.
 */
async function runProbe(issuers: string[], settings: Settings): Promise<ProbeResult> {
  const limit = pLimit(settings.concurrency);
  const handles = new Map<string, Promise<HostHandle>>();
  const open = (host: string): Promise<HostHandle> => {
    let handle = handles.get(host);
    if (!handle) {
      handle = openHost(host, settings);
      handles.set(host, handle);
    }
    return handle;
  };

  const byHost = new Map<string, { result: IssuerProbe; url: HttpsUrl }[]>();
  const results: IssuerProbe[] = [];
  for (const issuer of new Set(issuers)) {
    let url: HttpsUrl;
    try {
      url = parseHttpsUrl(issuer, 'issuer');
    } catch (error) {
      results.push({ issuer, host: hostOf(issuer), error: toProbeError('discovery', error) });
      continue;
    }
    const result: IssuerProbe = { issuer, host: url.host };
    results.push(result);
    const onHost = byHost.get(url.host);
    if (onHost) onHost.push({ result, url });
    else byHost.set(url.host, [{ result, url }]);
  }

  const crossHost: CrossHostJwks[] = [];
  try {
    await Promise.all(
      [...byHost].map(([host, items]) =>
        limit(async () => {
          const handle = await open(host);
          for (const { result, url } of items) {
            const jwks = await readIssuer(handle, result, url);
            if (jwks) crossHost.push(jwks);
          }
        }),
      ),
    );

    const byJwksHost = Map.groupBy(crossHost, (item) => item.url.host);
    await closeUnneeded(handles, new Set(byJwksHost.keys()));
    await Promise.all(
      [...byJwksHost].map(([host, items]) =>
        limit(async () => {
          const handle = await open(host);
          for (const { result, url } of items) await readJwks(handle, result, url, host);
          handle.session?.close();
        }),
      ),
    );
  } finally {
    await closeUnneeded(handles, new Set());
  }
  return {
    hosts: await Promise.all([...handles.values()].map(async (handle) => (await handle).probe)),
    issuers: results,
  };
}

async function openHost(host: string, settings: Settings): Promise<HostHandle> {
  const connect = resolveConnectTarget(settings.connectTo, host, HTTPS_PORT);
  const target: TlsTarget = { host, port: HTTPS_PORT, connectHost: connect.host, connectPort: connect.port };
  try {
    const { socket, chain } = await probeTls(target, settings);
    const session = createHostSession(socket, () => connectTls(target, settings), {
      host,
      timeoutMs: settings.timeoutMs,
      maxBodyBytes: settings.maxBodyBytes,
    });
    return { probe: { host, port: HTTPS_PORT, chain }, session };
  } catch (error) {
    return { probe: { host, port: HTTPS_PORT, error: toProbeError('tls', error) } };
  }
}

/** Reads one issuer's discovery document, and its JWKS when on the same host; returns a JWKS left for later. */
async function readIssuer(
  handle: HostHandle,
  result: IssuerProbe,
  url: HttpsUrl,
): Promise<CrossHostJwks | undefined> {
  if (!handle.session) {
    result.error = hostError(handle, 'tls');
    return undefined;
  }
  try {
    result.discovery = await fetchDiscovery(handle.session, url);
  } catch (error) {
    result.error = toProbeError('discovery', error);
    return undefined;
  }
  const mismatch = issuerMismatch(result.issuer, result.discovery);
  if (mismatch) {
    result.error = toProbeError('discovery', mismatch);
    return undefined;
  }
  let jwksUrl: HttpsUrl;
  try {
    jwksUrl = parseHttpsUrl(result.discovery.jwksUri, 'jwks_uri');
  } catch (error) {
    result.error = toProbeError('jwks', error);
    return undefined;
  }
  if (jwksUrl.host !== result.host) {
    result.jwksHost = jwksUrl.host;
    return { result, url: jwksUrl };
  }
  await readJwks(handle, result, jwksUrl, result.host);
  return undefined;
}

async function readJwks(handle: HostHandle, result: IssuerProbe, url: HttpsUrl, host: string): Promise<void> {
  if (!handle.session) {
    result.error = hostError(handle, 'jwks', `keys host ${host}`);
    return;
  }
  try {
    await fetchJwks(handle.session, url);
  } catch (error) {
    result.error = toProbeError('jwks', error);
  }
}

/** An issuer inherits the failure of the host it needed. */
function hostError(handle: HostHandle, stage: 'tls' | 'jwks', context?: string): ProbeError {
  const { code = 'ERROR', message = 'host not reached' } = handle.probe.error ?? {};
  return { stage, code, message: context ? `${context}: ${message}` : message };
}

async function closeUnneeded(handles: Map<string, Promise<HostHandle>>, keep: Set<string>): Promise<void> {
  for (const [host, handle] of handles) {
    if (!keep.has(host)) (await handle).session?.close();
  }
}

function hostOf(raw: string): string {
  try {
    return new URL(raw).hostname.toLowerCase();
  } catch {
    return '';
  }
}
