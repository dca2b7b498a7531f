import pLimit from 'p-limit';
import type { ConnectTo } from '../model/connect-to.ts';
import type { HostProbe, IssuerProbe, ProbeError } from '../model/inventory.ts';
import { compareText } from '../text/compare.ts';
import { resolveConnectTarget } from './connect-to.ts';
import { fetchDiscovery, fetchJwks, type HttpsUrl, issuerMismatch, parseHttpsUrl } from './discovery.ts';
import { createHostSession, type HostSession } from './host-session.ts';
import { settledIssuer } from './issuer-result.ts';
import { toProbeError } from './probe-failure.ts';
import { connectTls, probeTls, type TlsOptions, type TlsTarget } from './tls.ts';
import { createTrustStore } from './tls-trust-store.ts';

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

/** What the inventory needs: a run fed issuer by issuer as clusters are found, overlapping the AWS reads. */
export interface IssuerProber {
  start(): ProbeRun;
}

export interface ProbeRun {
  /** Queues an issuer (again: ignored); its host is read as soon as a concurrency slot is free. */
  add(issuer: string): void;
  /**
   * Starts nothing new (the time budget is spent): issuers not yet read are left out of the result, the reads
   * in flight finish.
   */
  stop(): void;
  /**
   * After the last add: reads what is queued, then the keys hosts; closes every connection. Never rejects:
   * every failure is a ProbeError on the host or issuer it concerns.
   */
  finish(): Promise<ProbeResult>;
}

const HTTPS_PORT = 443;

/** The real prober; `probe` reads a whole list at once (a run fed the list, then finished). */
export function createIssuerProber(
  options: ProbeOptions = {},
): IssuerProber & { probe(issuers: string[]): Promise<ProbeResult> } {
  const settings: Settings = {
    connectTo: options.connectTo ?? [],
    timeoutMs: options.timeoutMs ?? 5000,
    maxBodyBytes: options.maxBodyBytes ?? 256 * 1024,
    concurrency: options.concurrency ?? 8,
    trustStore: createTrustStore(options.trustedCAs),
  };
  return {
    probe: (issuers) => {
      const run = startProbe(settings);
      for (const issuer of issuers) run.add(issuer);
      return run.finish();
    },
    start: () => startProbe(settings),
  };
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
 * Issuer hosts first, each over its one connection, as issuers arrive: discovery, then JWKS when it lives on
 * the same host. Then, in finish, hosts that only serve JWKS for issuers elsewhere. Two phases rather than
 * nested waits, so a host task holding a concurrency slot never waits for a host that needs one.
 */
function startProbe(settings: Settings): ProbeRun {
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

  const seen = new Set<string>();
  const results: IssuerProbe[] = [];
  const queued = new Map<string, { result: IssuerProbe; url: HttpsUrl }[]>();
  const draining = new Set<string>();
  const tasks = new Set<Promise<void>>();
  const crossHost: CrossHostJwks[] = [];
  let stopped = false;

  // One task per host at a time drains that host's queue over its connection; an issuer queued while the
  // task is finishing is picked up by the next one.
  const drain = (host: string) => {
    if (draining.has(host) || stopped) return;
    draining.add(host);
    const task = limit(async () => {
      if (stopped) return;
      const handle = await open(host);
      const items = queued.get(host) ?? [];
      // Once stopped, only issuers of a host that failed are still settled: that takes no network.
      for (let item = items.shift(); item && (!stopped || !handle.session); item = items.shift()) {
        results.push(item.result);
        const jwks = await readIssuer(handle, item.result, item.url);
        if (jwks) crossHost.push(jwks);
      }
    }).finally(() => {
      draining.delete(host);
      tasks.delete(task);
      if ((queued.get(host)?.length ?? 0) > 0) drain(host);
    });
    tasks.add(task);
  };

  return {
    add(issuer) {
      if (seen.has(issuer) || stopped) return;
      seen.add(issuer);
      let url: HttpsUrl;
      try {
        url = parseHttpsUrl(issuer, 'issuer');
      } catch (error) {
        results.push({ issuer, host: hostOf(issuer), error: toProbeError('discovery', error) });
        return;
      }
      const items = queued.get(url.host) ?? [];
      items.push({ result: { issuer, host: url.host }, url });
      queued.set(url.host, items);
      drain(url.host);
    },
    stop() {
      stopped = true;
    },
    async finish() {
      try {
        while (tasks.size > 0) await Promise.all(tasks);
        const byJwksHost = Map.groupBy(crossHost, (item) => item.url.host);
        await closeUnneeded(handles, new Set(stopped ? [] : byJwksHost.keys()));
        if (stopped) {
          // Their keys were never read: they count as not probed rather than as healthy.
          const unread = new Set(crossHost.map((item) => item.result));
          results.splice(0, results.length, ...results.filter((result) => !unread.has(result)));
        } else {
          await Promise.all(
            [...byJwksHost].map(([host, items]) =>
              limit(async () => {
                const handle = await open(host);
                for (const { result, url } of items) await readJwks(handle, result, url, host);
                handle.session?.close();
              }),
            ),
          );
        }
      } finally {
        await closeUnneeded(handles, new Set());
      }
      const hosts = await Promise.all([...handles.values()].map(async (handle) => (await handle).probe));
      // Issuers arrive in whatever order the inventory finds them: sort, so that two runs give one report.
      return {
        hosts: hosts.sort((a, b) => compareText(a.host, b.host)),
        issuers: results.map(settledIssuer).sort((a, b) => compareText(a.issuer, b.issuer)),
      };
    },
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
