// awsQuery (IAM, STS, SNS) and its ec2Query variant: form-encoded requests, XML responses. The SDK reads a
// query result from <Action>Result inside <Action>Response and an error from ErrorResponse/Error/Code; EC2
// has no Result wrapper and puts errors under Response/Errors/Error.

import type { ApiError } from '../errors.ts';
import type { Reply } from './reply.ts';
import { el, esc } from './xml.ts';

/** The form fields of a query request, keyed as sent (`ClientIDList.member.1`). */
export type QueryParams = Map<string, string>;

export function parseQueryParams(body: string): QueryParams {
  return new Map(new URLSearchParams(body));
}

/** Values of a list parameter in index order: `list(params, 'RegionName')` reads RegionName.1, .2, ... */
export function listParam(params: QueryParams, prefix: string): string[] {
  const values: string[] = [];
  for (let i = 1; ; i++) {
    const value = params.get(`${prefix}.${i}`);
    if (value === undefined) return values;
    values.push(value);
  }
}

/** Entries of a struct list or map parameter: `structs(params, 'MessageAttributes.entry')` → [{Name, Value.DataType...}]. */
export function structParams(params: QueryParams, prefix: string): Record<string, string>[] {
  const items: Record<string, string>[] = [];
  for (let i = 1; ; i++) {
    const head = `${prefix}.${i}.`;
    const item: Record<string, string> = {};
    let found = false;
    for (const [key, value] of params) {
      if (key.startsWith(head)) {
        item[key.slice(head.length)] = value;
        found = true;
      }
    }
    if (!found) return items;
    items.push(item);
  }
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function queryReply(action: string, xmlns: string, result: string, requestId: string): Reply {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `${XML_HEAD}<${action}Response xmlns="${xmlns}"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata>${el('RequestId', requestId)}</ResponseMetadata></${action}Response>`,
  };
}

export function queryErrorReply(error: ApiError, xmlns: string, requestId: string): Reply {
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `${XML_HEAD}<ErrorResponse xmlns="${xmlns}"><Error>${el('Type', error.fault)}${el('Code', error.code)}` +
      `${el('Message', error.message)}</Error>${el('RequestId', requestId)}</ErrorResponse>`,
  };
}

export function ec2Reply(action: string, xmlns: string, result: string, requestId: string): Reply {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
    body: `${XML_HEAD}<${action}Response xmlns="${xmlns}">${el('requestId', requestId)}${result}</${action}Response>`,
  };
}

export function ec2ErrorReply(error: ApiError, requestId: string): Reply {
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
    body:
      `${XML_HEAD}<Response><Errors><Error>${el('Code', error.code)}<Message>${esc(error.message)}</Message>` +
      `</Error></Errors>${el('RequestID', requestId)}</Response>`,
  };
}
