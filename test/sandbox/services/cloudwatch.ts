// CloudWatch (awsJson1_0, awsQuery-compatible; the client gzips bodies of 10 KB and more): PutMetricData,
// recorded, with the per-call limits enforced so batching mistakes fail here as they would in AWS.

import { ApiError } from '../errors.ts';
import type { JsonObject } from '../protocols/json.ts';
import type { CallContext, JsonService } from './types.ts';

export const MAX_DATUMS = 1000;
export const MAX_REQUEST_BYTES = 1024 * 1024;
const MAX_DIMENSIONS = 30;
const MAX_VALUES = 150;

function invalidValue(message: string): ApiError {
  return new ApiError('InvalidParameterValue', message, 400, { jsonType: 'InvalidParameterValueException' });
}

function missing(message: string): ApiError {
  return new ApiError('MissingParameter', message, 400, { jsonType: 'MissingRequiredParameterException' });
}

function putMetricData(ctx: CallContext, input: JsonObject): unknown {
  // Checked on the uncompressed body: the stricter reading, so a batch that passes here passes in AWS.
  if (ctx.request.bytes > MAX_REQUEST_BYTES) {
    throw new ApiError(
      'RequestEntityTooLarge',
      `Request size ${ctx.request.bytes} exceeded ${MAX_REQUEST_BYTES} bytes`,
      413,
    );
  }
  const { Namespace, MetricData } = input;
  if (typeof Namespace !== 'string' || Namespace === '') {
    throw missing('The parameter Namespace is required.');
  }
  if (Namespace.startsWith('AWS/'))
    throw invalidValue(`The value ${Namespace} for parameter Namespace is invalid.`);
  if (!Array.isArray(MetricData) || MetricData.length === 0)
    throw missing('The parameter MetricData is required.');
  if (MetricData.length > MAX_DATUMS) {
    throw invalidValue(`The collection MetricData must not have a size greater than ${MAX_DATUMS}.`);
  }
  MetricData.forEach((datum: JsonObject, i) => {
    const member = `MetricData.member.${i + 1}`;
    if (typeof datum?.MetricName !== 'string' || datum.MetricName === '') {
      throw missing(`The parameter ${member}.MetricName is required.`);
    }
    const dimensions = datum.Dimensions;
    if (Array.isArray(dimensions) && dimensions.length > MAX_DIMENSIONS) {
      throw invalidValue(
        `The collection ${member}.Dimensions must not have a size greater than ${MAX_DIMENSIONS}.`,
      );
    }
    const values = datum.Values;
    if (Array.isArray(values) && values.length > MAX_VALUES) {
      throw invalidValue(`The collection ${member}.Values must not have a size greater than ${MAX_VALUES}.`);
    }
    const hasValue =
      datum.Value !== undefined || datum.StatisticValues !== undefined || Array.isArray(values);
    if (!hasValue) throw missing(`The parameter ${member}.Value is required.`);
  });
  ctx.published.metrics.push({
    account: ctx.account.id,
    region: ctx.region,
    namespace: Namespace,
    metricData: MetricData as JsonObject[],
    gzip: ctx.request.gzip,
    bytes: ctx.request.bytes,
  });
  ctx.detail = { namespace: Namespace, datums: MetricData.length, gzip: ctx.request.gzip };
  return {};
}

export const cloudwatch: JsonService = {
  name: 'cloudwatch',
  signingName: 'monitoring',
  protocol: 'json',
  version: '1.0',
  targetPrefix: 'GraniteServiceVersion20100801',
  queryCompatible: true,
  global: false,
  operations: { PutMetricData: putMetricData },
};
