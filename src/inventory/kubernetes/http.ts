// One GET to a cluster's Kubernetes API over node:https: the cluster's own CA (DescribeCluster's
// certificateAuthority.data) is the only trust anchor, the connection may be redirected as --connect-to says, and
// a SYN that a security group drops costs the connect time-out, not the request time-out.

import { request } from 'node:https';
import type { ConnectTo } from '../../model/connect-to.ts';
import { resolveConnectTarget } from '../connect-to.ts';

export interface KubernetesGet {
  /** `https://host[:port]` as DescribeCluster gives it. */
  endpoint: string;
  /** Path and query, e.g. `/api/v1/namespaces?limit=500`. */
  path: string;
  /** PEM of the cluster's CA. */
  ca: string;
  token: string;
  accept: string;
  connectTo: readonly ConnectTo[];
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  signal?: AbortSignal;
}

export interface KubernetesAnswer {
  status: number;
  body: string;
}

/** A page bigger than this is refused: metadata pages of 500 items stay far below it. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Fails with a Node error code: ETIMEDOUT (connect), ESOCKETTIMEDOUT (answer), or the socket's own. */
export function kubernetesGet(options: KubernetesGet): Promise<KubernetesAnswer> {
  const url = new URL(options.endpoint);
  const port = url.port === '' ? 443 : Number(url.port);
  const target = resolveConnectTarget(options.connectTo, url.hostname, port);
  return new Promise((resolve, reject) => {
    const failed = (code: string, message: string) =>
      Object.assign(new Error(`${message} (${url.hostname})`), { code });
    const req = request({
      host: target.host,
      port: target.port,
      servername: url.hostname,
      path: options.path,
      method: 'GET',
      ca: options.ca,
      headers: { host: url.host, authorization: `Bearer ${options.token}`, accept: options.accept },
      agent: false,
      signal: options.signal,
    });
    const connectTimer = setTimeout(
      () => req.destroy(failed('ETIMEDOUT', `no connection within ${options.connectTimeoutMs} ms`)),
      options.connectTimeoutMs,
    );
    const requestTimer = setTimeout(
      () => req.destroy(failed('ESOCKETTIMEDOUT', `no answer within ${options.requestTimeoutMs} ms`)),
      options.requestTimeoutMs,
    );
    const done = () => {
      clearTimeout(connectTimer);
      clearTimeout(requestTimer);
    };
    req.on('socket', (socket) => socket.once('secureConnect', () => clearTimeout(connectTimer)));
    req.on('error', (error) => {
      done();
      reject(error);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) req.destroy(failed('EFBIG', `answer larger than ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        done();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (error) => {
        done();
        reject(error);
      });
    });
    req.end();
  });
}
