// One request through the sandbox: decode the operation, authenticate, check the region, inject faults,
// run the handler, and encode the result or error in the service's own protocol.

import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, standardError } from './errors.ts';
import type { FaultInjector, InjectedFailure } from './faults.ts';
import type { RequestLog } from './log.ts';
import {
  type JsonObject,
  jsonErrorReply,
  jsonReply,
  parseJsonBody,
  targetOperation,
} from './protocols/json.ts';
import { ec2ErrorReply, ec2Reply, parseQueryParams, queryErrorReply, queryReply } from './protocols/query.ts';
import type { Reply } from './protocols/reply.ts';
import { matchRoute, restJsonErrorReply, restJsonReply } from './protocols/rest-json.ts';
import { el } from './protocols/xml.ts';
import { authenticate, checkRegion, parseCredentialScope, SERVICES } from './router.ts';
import type { CallContext, Published, ServiceDef } from './services/types.ts';
import type { SandboxState } from './state.ts';
import type { ServiceName } from './world.ts';

export interface IncomingCall {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Decompressed body text. */
  body: string;
  /** The body's bytes as received (S3 takes binary bodies). */
  raw: Buffer;
  bytes: number;
  gzip: boolean;
}

export interface DispatchEnv {
  state: SandboxState;
  faults: FaultInjector;
  log: RequestLog;
  published: Published;
}

export interface Outcome {
  reply: Reply;
  service: string;
  operation: string;
  account: string | undefined;
  region: string | undefined;
  error: string | undefined;
  latencyMs: number;
  detail: Record<string, unknown> | undefined;
  /** The endpoint hangs (faults.hangingEndpoints): the request is never answered. */
  hang?: boolean;
  /** The answer waits for this (sandbox.faults.hold) before it is sent. */
  heldUntil?: Promise<void> | undefined;
}

type Handler = (ctx: CallContext) => Reply;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// Which operation the request names, and how to run it; undefined operation when the service has none such.
function decode(
  service: ServiceDef,
  call: IncomingCall,
  requestId: string,
): { operation: string; run?: Handler } {
  switch (service.protocol) {
    case 'query':
    case 'ec2': {
      const params = parseQueryParams(call.body);
      const operation = params.get('Action') ?? '(none)';
      const handler = Object.hasOwn(service.operations, operation)
        ? service.operations[operation]
        : undefined;
      if (!handler) return { operation };
      const wrap = service.protocol === 'ec2' ? ec2Reply : queryReply;
      return { operation, run: (ctx) => wrap(operation, service.xmlns, handler(ctx, params), requestId) };
    }
    case 'json': {
      const operation = targetOperation(header(call.headers, 'x-amz-target'), service.targetPrefix);
      const handler =
        operation && Object.hasOwn(service.operations, operation) ? service.operations[operation] : undefined;
      if (!operation || !handler)
        return { operation: operation ?? header(call.headers, 'x-amz-target') ?? '(none)' };
      return {
        operation,
        run: (ctx) => jsonReply(service.version, handler(ctx, parseJsonBody(call.body)), requestId),
      };
    }
    case 'restXml': {
      const url = new URL(call.url, 'http://sandbox');
      const headers = Object.fromEntries(
        Object.keys(call.headers).map((name) => [name, header(call.headers, name)]),
      );
      const request = {
        method: call.method,
        path: url.pathname,
        query: url.searchParams,
        headers,
        body: call.raw,
      };
      const operation = service.operationOf(request);
      return { operation, run: (ctx) => service.handle(ctx, request, operation) };
    }
    case 'restJson': {
      const url = new URL(call.url, 'http://sandbox');
      const match = matchRoute(service.routes, call.method, url.pathname);
      const handler = match ? service.operations[match.operation] : undefined;
      if (!match || !handler) return { operation: `${call.method} ${url.pathname}` };
      return {
        operation: match.operation,
        run: (ctx) => {
          const body: JsonObject = call.method === 'GET' ? {} : parseJsonBody(call.body);
          return restJsonReply(
            handler(ctx, { params: match.params, query: url.searchParams, body }),
            requestId,
          );
        },
      };
    }
  }
}

function errorReply(service: ServiceDef, error: ApiError, requestId: string): Reply {
  switch (service.protocol) {
    case 'query':
      return queryErrorReply(error, service.xmlns, requestId);
    case 'ec2':
      return ec2ErrorReply(error, requestId);
    case 'json':
      return jsonErrorReply(service.version, error, requestId, service.queryCompatible);
    case 'restJson':
      return restJsonErrorReply(error, requestId);
    case 'restXml': {
      const region = error.fields?.Region;
      return {
        status: error.status,
        headers: {
          'content-type': 'application/xml',
          'x-amz-request-id': requestId,
          ...(typeof region === 'string' ? { 'x-amz-bucket-region': region } : {}),
        },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${el('Code', error.code)}${el('Message', error.message)}${typeof region === 'string' ? el('Region', region) : ''}${el('RequestId', requestId)}</Error>`,
      };
    }
  }
}

// Requests for no service the sandbox knows (or unsigned ones) still get an error in the protocol the
// request looks like, so the client fails at once instead of hanging or misparsing.
function unroutedReply(call: IncomingCall, kind: 'unknown' | 'unsigned', requestId: string): Reply {
  const contentType = header(call.headers, 'content-type') ?? '';
  const message =
    kind === 'unsigned' ? 'Missing Authentication Token' : 'The sandbox does not emulate this service';
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const error =
      kind === 'unsigned'
        ? new ApiError('MissingAuthenticationToken', message, 403)
        : new ApiError('InvalidAction', message, 400);
    return queryErrorReply(error, 'https://sandbox.invalid/', requestId);
  }
  const json = /^application\/x-amz-json-(1\.[01])/.exec(contentType);
  const error =
    kind === 'unsigned'
      ? new ApiError('MissingAuthenticationTokenException', message, 403)
      : new ApiError('UnknownOperationException', message, json ? 400 : 404);
  if (json) return jsonErrorReply(json[1] === '1.0' ? '1.0' : '1.1', error, requestId, false);
  return restJsonErrorReply(error, requestId);
}

function injectedError(failure: InjectedFailure, service: ServiceName): ApiError {
  if (typeof failure === 'string') return standardError(failure, service);
  return new ApiError(failure.code, failure.message ?? `${failure.code} (sandbox fault)`, failure.status);
}

export function dispatch(env: DispatchEnv, call: IncomingCall): Outcome {
  const requestId = randomUUID();
  const scope = parseCredentialScope(header(call.headers, 'authorization'));
  const service = scope ? SERVICES.get(scope.service) : undefined;
  if (!scope || !service) {
    const reply = unroutedReply(call, scope ? 'unknown' : 'unsigned', requestId);
    return {
      reply,
      service: scope?.service ?? '(unsigned)',
      operation: '(unknown)',
      account: undefined,
      region: scope?.region,
      error: scope ? 'UnknownService' : 'MissingAuthenticationToken',
      latencyMs: 0,
      detail: undefined,
    };
  }
  const outcome: Outcome = {
    reply: undefined as unknown as Reply,
    service: service.name,
    operation: '(unknown)',
    account: undefined,
    region: scope.region,
    error: undefined,
    latencyMs: env.faults.latency(service.name, scope.region),
    detail: undefined,
  };
  if (env.faults.hangs(service.name, scope.region)) return { ...outcome, hang: true };
  try {
    const { operation, run } = decode(service, call, requestId);
    outcome.operation = operation;
    if (!run) throw standardError('unknownOperation', service.name, `Unknown operation ${operation}`);
    const identity = authenticate(env.state, service, scope, header(call.headers, 'x-amz-security-token'));
    outcome.account = identity.account.id;
    checkRegion(service, identity, scope.region);
    if (env.faults.isDenied(identity.account.id, service.name, operation)) {
      const action = `${service.name}:${operation}`;
      throw standardError(
        'accessDenied',
        service.name,
        `User: ${identity.arn} is not authorized to perform: ${action}`,
      );
    }
    if (env.faults.throttles(service.name)) throw standardError('throttle', service.name);
    if (env.faults.overRate(service.name, identity.account.id, scope.region))
      throw standardError('throttle', service.name, 'Rate exceeded');
    if (env.faults.fails5xx(service.name)) throw standardError('unavailable', service.name);
    const injected = env.faults.takeFailure(service.name, operation, identity.account.id, scope.region);
    if (injected) throw injectedError(injected, service.name);
    const ctx: CallContext = {
      state: env.state,
      identity,
      account: identity.account,
      region: scope.region,
      requestId,
      log: env.log,
      published: env.published,
      request: { bytes: call.bytes, gzip: call.gzip },
    };
    try {
      outcome.reply = run(ctx);
    } finally {
      outcome.detail = ctx.detail;
    }
  } catch (error) {
    const apiError =
      error instanceof ApiError
        ? error
        : new ApiError('InternalFailure', `sandbox bug: ${(error as Error).stack ?? String(error)}`, 500);
    outcome.error = apiError.code;
    outcome.reply = errorReply(service, apiError, requestId);
  }
  outcome.heldUntil = env.faults.heldUntil(service.name, outcome.operation, outcome.account, scope.region);
  return outcome;
}
