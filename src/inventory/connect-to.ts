// curl's --connect-to: reach HOST:PORT at CONNECT_HOST:CONNECT_PORT while TLS (SNI, certificate name check)
// and HTTP (Host header) still speak to HOST. Lets the probe run through private DNS, proxies and test servers.

import type { ConnectTo } from '../model/connect-to.ts';

export interface ConnectTarget {
  host: string;
  port: number;
}

/**
 * Where to open the TCP connection for host:port: the first matching mapping (as curl; `*.suffix` matches any host
 * under suffix), else host:port itself.
 */
export function resolveConnectTarget(list: readonly ConnectTo[], host: string, port: number): ConnectTarget {
  const wanted = host.toLowerCase();
  const match = list.find((entry) => entry.port === port && hostMatches(entry.host, wanted));
  return match ? { host: match.connectHost, port: match.connectPort } : { host, port };
}

function hostMatches(pattern: string, host: string): boolean {
  return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : pattern === host;
}
