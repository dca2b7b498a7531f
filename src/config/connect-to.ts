// Parses curl's --connect-to mappings (AUDIT_CONNECT_TO, --connect-to) into what the issuer probe uses
// (src/inventory/connect-to.ts): a typo stops the run before it starts, naming the bad part.

import type { ConnectTo } from '../model/connect-to.ts';

const EXPECTED =
  'expected HOST:PORT:CONNECT_HOST:CONNECT_PORT, e.g. oidc.eks.us-east-1.amazonaws.com:443:127.0.0.1:8443';
const PART_NAMES = ['HOST', 'PORT', 'CONNECT_HOST', 'CONNECT_PORT'] as const;

/**
 * Parses `HOST:PORT:CONNECT_HOST:CONNECT_PORT` (HOST may be `*.suffix`); an IPv6 host goes in brackets. Throws
 * naming the bad part.
 */
export function parseConnectTo(spec: string): ConnectTo {
  const fail = (why: string): never => {
    throw new Error(`connect-to "${spec}": ${why}; ${EXPECTED}`);
  };
  const parts = splitParts(spec.trim(), fail);
  if (parts.length < 4) fail(`has ${parts.length} part${parts.length === 1 ? '' : 's'}, not 4`);
  if (parts.length > 4) fail(`has ${parts.length} parts, not 4 (an IPv6 address goes in brackets)`);
  const [host = '', port = '', connectHost = '', connectPort = ''] = parts;
  // `*.suffix` maps every host under suffix (not curl's, which knows no wildcard): one mapping for all the
  // cluster API endpoints of a region behind one proxy, say.
  const wildcard = host.startsWith('*.');
  return {
    host: `${wildcard ? '*.' : ''}${parseHost(wildcard ? host.slice(2) : host, PART_NAMES[0], fail)}`.toLowerCase(),
    port: parsePort(port, PART_NAMES[1], fail),
    connectHost: parseHost(connectHost, PART_NAMES[2], fail),
    connectPort: parsePort(connectPort, PART_NAMES[3], fail),
  };
}

/** Splits on ':' except inside brackets, so `[::1]` stays one part. */
function splitParts(spec: string, fail: (why: string) => never): string[] {
  const parts: string[] = [];
  let current = '';
  let inBrackets = false;
  for (const char of spec) {
    if (char === '[') {
      if (inBrackets || current !== '') fail(`unexpected "[" in part ${parts.length + 1}`);
      inBrackets = true;
    } else if (char === ']') {
      if (!inBrackets) fail(`unexpected "]" in part ${parts.length + 1}`);
      inBrackets = false;
    }
    if (char === ':' && !inBrackets) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (inBrackets) fail('unclosed "["');
  parts.push(current);
  return parts;
}

function parseHost(raw: string, name: string, fail: (why: string) => never): string {
  if (raw === '') fail(`${name} is empty`);
  if (raw.startsWith('[')) {
    if (!raw.endsWith(']')) fail(`${name} "${raw}" has text after "]"`);
    const inner = raw.slice(1, -1);
    if (!/^[0-9a-fA-F:.]+$/.test(inner) || !inner.includes(':'))
      fail(`${name} "${raw}" is not an IPv6 address`);
    return inner;
  }
  if (!/^[A-Za-z0-9._-]+$/.test(raw)) fail(`${name} "${raw}" is not a host name or IPv4 address`);
  return raw;
}

function parsePort(raw: string, name: string, fail: (why: string) => never): number {
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) fail(`${name} "${raw}" is not a port (1-65535)`);
  return port;
}
