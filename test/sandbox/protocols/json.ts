// awsJson1_0 / awsJson1_1 (Organizations, CloudWatch): POST / with X-Amz-Target `<Prefix>.<Operation>`.
// Errors carry `__type` in the body; awsQuery-compatible services (CloudWatch) also send
// `x-amzn-query-error: <Code>;<Sender|Receiver>`, which the SDK prefers for the error's name.

import { ApiError } from '../errors.ts';
import type { Reply } from './reply.ts';

export type JsonObject = Record<string, unknown>;

export function parseJsonBody(body: string): JsonObject {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ApiError('SerializationException', 'Could not parse the request body as JSON', 400);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ApiError('SerializationException', 'Expected a JSON object as the request body', 400);
  }
  return parsed as JsonObject;
}

/** The operation named by X-Amz-Target, or undefined when the target is missing or for another service. */
export function targetOperation(target: string | undefined, prefix: string): string | undefined {
  if (!target) return undefined;
  const dot = target.lastIndexOf('.');
  if (dot === -1 || target.slice(0, dot) !== prefix) return undefined;
  return target.slice(dot + 1);
}

export function jsonReply(version: '1.0' | '1.1', output: unknown, requestId: string): Reply {
  return {
    status: 200,
    headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': requestId },
    body: JSON.stringify(output ?? {}),
  };
}

export function jsonErrorReply(
  version: '1.0' | '1.1',
  error: ApiError,
  requestId: string,
  queryCompatible: boolean,
): Reply {
  const headers: Record<string, string> = {
    'content-type': `application/x-amz-json-${version}`,
    'x-amzn-requestid': requestId,
  };
  if (queryCompatible) headers['x-amzn-query-error'] = `${error.code};${error.fault}`;
  const type = queryCompatible ? (error.jsonType ?? error.code) : error.code;
  // Both spellings: some services model `Message` (Organizations), most `message`.
  const body = { __type: type, message: error.message, Message: error.message, ...error.fields };
  return { status: error.status, headers, body: JSON.stringify(body) };
}
