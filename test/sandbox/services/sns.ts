// SNS (awsQuery): Publish, recorded for tests, with the limits that make real alert publishing fail.

import { randomUUID } from 'node:crypto';
import { ApiError } from '../errors.ts';
import { type QueryParams, structParams } from '../protocols/query.ts';
import { el } from '../protocols/xml.ts';
import type { CallContext, QueryService, SnsMessage } from './types.ts';

const TOPIC_ARN = /^arn:([a-z-]+):sns:([a-z0-9-]+):(\d{12}):([\w-]{1,256})$/;
const MAX_MESSAGE_BYTES = 256 * 1024;

function invalid(message: string): ApiError {
  return new ApiError('InvalidParameter', `Invalid parameter: ${message}`, 400);
}

function publish(ctx: CallContext, params: QueryParams): string {
  const topicArn = params.get('TopicArn') ?? params.get('TargetArn');
  const message = params.get('Message');
  const subject = params.get('Subject');
  const structure = params.get('MessageStructure');
  if (topicArn === undefined) throw invalid('TopicArn or TargetArn Reason: no value for required parameter');
  const match = TOPIC_ARN.exec(topicArn);
  if (!match || match[1] !== ctx.state.partition) throw invalid('TopicArn');
  if (match[2] !== ctx.region) throw invalid('TopicArn');
  const topics = ctx.state.world.snsTopics;
  if (topics && !topics.includes(topicArn)) throw new ApiError('NotFound', 'Topic does not exist', 404);
  if (message === undefined || message === '') throw invalid('Message Reason: Empty message');
  if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) throw invalid('Message too long');
  if (subject !== undefined && (subject.length === 0 || subject.length >= 100 || /[\r\n]/.test(subject))) {
    throw invalid('Subject');
  }
  if (structure !== undefined) {
    if (structure !== 'json') throw invalid('MessageStructure');
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      throw invalid('Message Structure - JSON message body failed to parse');
    }
    if (
      parsed === null ||
      typeof parsed !== 'object' ||
      typeof (parsed as { default?: unknown }).default !== 'string'
    ) {
      throw invalid('Message Structure - No default entry in JSON message body');
    }
  }
  const attributes: SnsMessage['messageAttributes'] = {};
  for (const entry of structParams(params, 'MessageAttributes.entry')) {
    const name = entry.Name;
    const dataType = entry['Value.DataType'];
    if (!name || !dataType) throw invalid('MessageAttributes');
    attributes[name] = {
      DataType: dataType,
      ...(entry['Value.StringValue'] === undefined ? {} : { StringValue: entry['Value.StringValue'] }),
      ...(entry['Value.BinaryValue'] === undefined ? {} : { BinaryValue: entry['Value.BinaryValue'] }),
    };
  }
  const messageId = randomUUID();
  ctx.published.sns.push({
    account: ctx.account.id,
    region: ctx.region,
    topicArn,
    subject,
    message,
    messageStructure: structure,
    messageAttributes: attributes,
    messageId,
  });
  ctx.detail = { topicArn };
  return el('MessageId', messageId);
}

export const sns: QueryService = {
  name: 'sns',
  signingName: 'sns',
  protocol: 'query',
  global: false,
  xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/',
  operations: { Publish: publish },
};
