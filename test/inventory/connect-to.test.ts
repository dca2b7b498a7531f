import { describe, expect, test } from 'vitest';
import { parseConnectTo } from '../../src/config/connect-to.ts';
import { resolveConnectTarget } from '../../src/inventory/connect-to.ts';
import type { ConnectTo } from '../../src/model/connect-to.ts';

function mapping(host: string, connectPort: number, port = 443): ConnectTo {
  return { host, port, connectHost: '127.0.0.1', connectPort };
}

describe('parseConnectTo', () => {
  test('reads HOST:PORT:CONNECT_HOST:CONNECT_PORT, lowercasing HOST', () => {
    // Prepare
    const spec = 'OIDC.EKS.us-east-1.amazonaws.com:443:127.0.0.1:8443';

    // Act
    const parsed = parseConnectTo(spec);

    // Assess
    expect(parsed).toEqual({
      host: 'oidc.eks.us-east-1.amazonaws.com',
      port: 443,
      connectHost: '127.0.0.1',
      connectPort: 8443,
    });
  });

  test('takes an IPv6 CONNECT_HOST in brackets and drops them', () => {
    // Prepare
    const spec = 'oidc.example:443:[::1]:9443';

    // Act
    const parsed = parseConnectTo(spec);

    // Assess
    expect(parsed.connectHost).toBe('::1');
    expect(parsed.connectPort).toBe(9443);
  });

  test.each([
    ['oidc.example:443:127.0.0.1', /has 3 parts, not 4/],
    ['oidc.example:443:::1:9443', /IPv6 address goes in brackets/],
    [':443:127.0.0.1:8443', /HOST is empty/],
    ['oidc.example:https:127.0.0.1:8443', /PORT "https" is not a port/],
    ['oidc.example:443::8443', /CONNECT_HOST is empty/],
    ['oidc.example:443:127.0.0.1:70000', /CONNECT_PORT "70000" is not a port/],
    ['oidc.example:443:127.0.0.1:0', /CONNECT_PORT "0" is not a port/],
    ['oidc.example:443:[::1:8443', /unclosed "\["/],
    ['oidc.example:443:[zz]:8443', /CONNECT_HOST "\[zz\]" is not an IPv6 address/],
    ['oidc example:443:127.0.0.1:8443', /HOST "oidc example" is not a host name/],
  ])('rejects %s naming the bad part and the expected form', (spec, why) => {
    // Prepare
    const parse = () => parseConnectTo(spec);

    // Act
    let message = '';
    try {
      parse();
    } catch (error) {
      message = (error as Error).message;
    }

    // Assess
    expect(message).toMatch(why);
    expect(message).toContain('expected HOST:PORT:CONNECT_HOST:CONNECT_PORT');
  });
});

describe('resolveConnectTarget', () => {
  test('maps a matching host and port, case-insensitively, to the first matching entry', () => {
    // Prepare
    const list = [mapping('a.example', 1001), mapping('a.example', 1002)];

    // Act
    const target = resolveConnectTarget(list, 'A.Example', 443);

    // Assess
    expect(target).toEqual({ host: '127.0.0.1', port: 1001 });
  });

  test('leaves other hosts and other ports alone', () => {
    // Prepare
    const list = [mapping('a.example', 1001), mapping('b.example', 1002, 8443)];

    // Act
    const otherHost = resolveConnectTarget(list, 'c.example', 443);
    const otherPort = resolveConnectTarget(list, 'b.example', 443);

    // Assess
    expect(otherHost).toEqual({ host: 'c.example', port: 443 });
    expect(otherPort).toEqual({ host: 'b.example', port: 443 });
  });
});

describe('a wildcard mapping', () => {
  test('maps every host under its suffix, after the exact ones, and nothing else', () => {
    // Prepare
    const list = [
      parseConnectTo('oidc.eks.us-east-1.amazonaws.com:443:127.0.0.1:1001'),
      parseConnectTo('*.eks.amazonaws.com:443:127.0.0.1:1002'),
    ];

    // Act
    const issuer = resolveConnectTarget(list, 'oidc.eks.us-east-1.amazonaws.com', 443);
    const api = resolveConnectTarget(list, 'ABC.gr7.us-east-1.EKS.amazonaws.com', 443);
    const other = resolveConnectTarget(list, 'eks.amazonaws.com.evil.example', 443);

    // Assess
    expect(list[1]?.host).toBe('*.eks.amazonaws.com');
    expect(issuer.port).toBe(1001);
    expect(api.port).toBe(1002);
    expect(other).toEqual({ host: 'eks.amazonaws.com.evil.example', port: 443 });
  });
});
