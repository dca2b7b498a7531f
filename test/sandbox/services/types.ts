// The shape every emulated service has: a protocol and a table of operation handlers. Handlers are
// synchronous and throw ApiError; the dispatcher does authentication, regions, faults and wire encoding.

import type { RequestLog } from '../log.ts';
import type { JsonObject } from '../protocols/json.ts';
import type { QueryParams } from '../protocols/query.ts';
import type { Reply } from '../protocols/reply.ts';
import type { Route } from '../protocols/rest-json.ts';
import type { AccountState, Identity, SandboxState } from '../state.ts';
import type { ServiceName } from '../world.ts';

export interface SnsMessage {
  account: string;
  region: string;
  topicArn: string;
  subject: string | undefined;
  message: string;
  messageStructure: string | undefined;
  messageAttributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  messageId: string;
}

export interface MetricBatch {
  account: string;
  region: string;
  namespace: string;
  metricData: JsonObject[];
  /** The request body arrived gzip-compressed. */
  gzip: boolean;
  /** Uncompressed request size. */
  bytes: number;
}

export interface Published {
  sns: SnsMessage[];
  metrics: MetricBatch[];
}

export interface CallContext {
  state: SandboxState;
  identity: Identity;
  /** The account of the credentials. */
  account: AccountState;
  region: string;
  requestId: string;
  log: RequestLog;
  published: Published;
  request: { bytes: number; gzip: boolean };
  /** Set by a handler to attach detail to the request's log entry. */
  detail?: Record<string, unknown>;
}

interface ServiceBase {
  name: ServiceName;
  /** SigV4 signing name: the service part of the credential scope. */
  signingName: string;
  /** Global services (IAM, Organizations, Account) answer whatever region the client signs for. */
  global: boolean;
}

export interface QueryService extends ServiceBase {
  protocol: 'query' | 'ec2';
  xmlns: string;
  /** Each returns the XML inside <Action>Result (query) or <Action>Response (ec2). */
  operations: Record<string, (ctx: CallContext, params: QueryParams) => string>;
}

export interface JsonService extends ServiceBase {
  protocol: 'json';
  version: '1.0' | '1.1';
  targetPrefix: string;
  queryCompatible: boolean;
  operations: Record<string, (ctx: CallContext, input: JsonObject) => unknown>;
}

export interface RestRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: JsonObject;
}

export interface RestJsonService extends ServiceBase {
  protocol: 'restJson';
  routes: Route[];
  operations: Record<string, (ctx: CallContext, request: RestRequest) => unknown>;
}

/** A restXml request as S3 receives it: the raw body, the path after the host, the query and the headers. */
export interface RawRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

/** S3: one handler for every request, routing on method, path and query itself, writing its own reply. */
export interface RestXmlService extends ServiceBase {
  protocol: 'restXml';
  /** The operation a request names, for the log and the fault injector. */
  operationOf(request: RawRequest): string;
  handle(ctx: CallContext, request: RawRequest, operation: string): Reply;
}

export type ServiceDef = QueryService | JsonService | RestJsonService | RestXmlService;
