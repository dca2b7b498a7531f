// restJson1 (EKS, Account): operations bound to method + path; errors name their type in x-amzn-ErrorType,
// which the SDK reads before the body.

import type { ApiError } from '../errors.ts';
import type { Reply } from './reply.ts';

export interface Route {
  method: string;
  /** Segments; `{name}` captures one path segment (URL-decoded). */
  pattern: string;
  operation: string;
}

export interface RouteMatch {
  operation: string;
  params: Record<string, string>;
}

export function matchRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): RouteMatch | undefined {
  const segments = pathname.split('/').filter((s) => s !== '');
  for (const route of routes) {
    if (route.method !== method) continue;
    const parts = route.pattern.split('/').filter((s) => s !== '');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const part = parts[i] ?? '';
      const segment = segments[i] ?? '';
      if (part.startsWith('{') && part.endsWith('}')) {
        try {
          params[part.slice(1, -1)] = decodeURIComponent(segment);
        } catch {
          ok = false;
        }
      } else ok = part === segment;
    }
    if (ok) return { operation: route.operation, params };
  }
  return undefined;
}

export function restJsonReply(output: unknown, requestId: string, status = 200): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
    body: JSON.stringify(output ?? {}),
  };
}

export function restJsonErrorReply(error: ApiError, requestId: string): Reply {
  return {
    status: error.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': error.code,
    },
    body: JSON.stringify({ message: error.message, ...error.fields }),
  };
}
