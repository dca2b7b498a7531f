// Lists one cluster's resources page by page (limit/continue), as one principal: the token is signed once and
// again when it nears its end or the API answers 401 (a token STS no longer honours); a 410 Gone (the continue
// token outlived the API server's compaction) starts the list over. Every request goes through the run's lane
// for the cluster's account and region, and is bounded in pages. The cluster's requests share its kept-alive
// connections (one TLS handshake, not one per request) until the session is closed.

import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { CallLimiter } from '../../clients/limit.ts';
import type { ConnectTo } from '../../model/connect-to.ts';
import type { Partition } from '../../model/inventory.ts';
import { ACCESS_CODES, KubernetesFailure } from './failure.ts';
import { clusterAgent, type KubernetesAnswer, kubernetesGet } from './http.ts';
import { type KubernetesToken, kubernetesToken } from './token.ts';

export const METADATA_ONLY =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
export const FULL_OBJECTS = 'application/json';

export interface SessionOptions {
  connectTo: readonly ConnectTo[];
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  signal?: AbortSignal;
  call: CallLimiter;
  credentials: () => Promise<AwsCredentialIdentity>;
  /** Items per page (`limit`). */
  pageSize: number;
  /** Pages per list before the cluster is given up as too large to read within bounds. */
  maxPages: number;
  now?: () => Date;
}

export interface ClusterTarget {
  name: string;
  region: string;
  partition: Partition;
  endpoint: string;
  /** PEM. */
  ca: string;
  authenticationMode?: string;
}

export interface KubernetesSession {
  list<T>(path: string, accept: string, query?: Record<string, string>): Promise<T[]>;
  /** Closes the cluster's connections; call it once its reads have ended, whatever their outcome. */
  close(): void;
}

const RESTARTS_ON_GONE = 2;

export function openSession(cluster: ClusterTarget, options: SessionOptions): KubernetesSession {
  const now = options.now ?? (() => new Date());
  const agent = clusterAgent();
  let token: Promise<KubernetesToken> | undefined;
  const sign = () => {
    token = options.credentials().then((credentials) => kubernetesToken(credentials, cluster, now()));
    return token;
  };
  const current = async () => {
    const held = await (token ?? sign());
    return held.renewAt <= now().getTime() ? sign() : held;
  };

  const get = async (path: string, accept: string): Promise<KubernetesAnswer> => {
    const send = async (signed: KubernetesToken) =>
      options.call(() =>
        kubernetesGet({
          endpoint: cluster.endpoint,
          path,
          ca: cluster.ca,
          token: signed.token,
          accept,
          connectTo: options.connectTo,
          connectTimeoutMs: options.connectTimeoutMs,
          requestTimeoutMs: options.requestTimeoutMs,
          agent,
          signal: options.signal,
        }),
      );
    const first = await send(await current());
    return first.status === 401 ? send(await sign()) : first;
  };

  return {
    close: () => agent.destroy(),
    async list<T>(path: string, accept: string, query: Record<string, string> = {}) {
      for (let attempt = 0; attempt <= RESTARTS_ON_GONE; attempt++) {
        const items: T[] = [];
        let next: string | undefined;
        let gone = false;
        for (let page = 0; page < options.maxPages; page++) {
          const params = new URLSearchParams({
            ...query,
            limit: String(options.pageSize),
            ...(next ? { continue: next } : {}),
          });
          const answer = await get(`${path}?${params}`, accept);
          if (answer.status === 410) {
            gone = true;
            break;
          }
          refuseUnlessOk(answer, cluster, path);
          const parsed = parseList<T>(answer.body, cluster, path);
          items.push(...parsed.items);
          next = parsed.next;
          if (!next) return items;
        }
        if (!gone)
          throw new KubernetesFailure(
            'kubernetes-unreachable',
            'TooManyPages',
            `cluster ${cluster.name}: ${path} has more than ${options.maxPages} pages of ${options.pageSize}; not read`,
          );
      }
      throw new KubernetesFailure(
        'kubernetes-unreachable',
        'Gone',
        `cluster ${cluster.name}: ${path} answered 410 Gone ${RESTARTS_ON_GONE + 1} times in a row`,
      );
    },
  };
}

function refuseUnlessOk(answer: KubernetesAnswer, cluster: ClusterTarget, path: string): void {
  if (answer.status === 200) return;
  if (answer.status === 401) {
    const configMapOnly = cluster.authenticationMode === 'CONFIG_MAP';
    throw new KubernetesFailure(
      'kubernetes-access',
      configMapOnly ? ACCESS_CODES.notMapped : ACCESS_CODES.noAccessEntry,
      configMapOnly
        ? `cluster ${cluster.name} authenticates through the aws-auth ConfigMap only, and it does not map the auditor (401 Unauthorized)`
        : `cluster ${cluster.name} has no access entry for the auditor (401 Unauthorized)`,
    );
  }
  if (answer.status === 403)
    throw new KubernetesFailure(
      'kubernetes-access',
      ACCESS_CODES.forbidden,
      `cluster ${cluster.name} lets the auditor in but not list ${path} (403 Forbidden): it needs AmazonEKSViewPolicy`,
    );
  throw new KubernetesFailure(
    'kubernetes-unreachable',
    `HTTP_${answer.status}`,
    `cluster ${cluster.name}: ${path} answered HTTP ${answer.status}`,
  );
}

function parseList<T>(body: string, cluster: ClusterTarget, path: string): { items: T[]; next?: string } {
  try {
    const parsed = JSON.parse(body) as { items?: unknown; metadata?: { continue?: unknown } };
    if (!Array.isArray(parsed.items)) throw new Error('no items array');
    const next = parsed.metadata?.continue;
    return { items: parsed.items as T[], ...(typeof next === 'string' && next !== '' ? { next } : {}) };
  } catch (error) {
    throw new KubernetesFailure(
      'kubernetes-unreachable',
      'BadList',
      `cluster ${cluster.name}: ${path} answered something other than a Kubernetes list: ${(error as Error).message}`,
    );
  }
}
