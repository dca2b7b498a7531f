// Errors a handler or the router raises; each protocol writer turns them into that protocol's wire shape so
// the SDK surfaces `error.name === code` (or the modeled exception whose awsQueryError is `code`).

import type { ServiceName } from './world.ts';

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** Query protocols' <Type>: Sender for the caller's fault, Receiver for ours. */
  readonly fault: 'Sender' | 'Receiver';
  /** For awsQuery-compatible JSON services: the JSON `__type` when it differs from the query code. */
  readonly jsonType: string | undefined;
  /** Extra members of the modeled exception (e.g. EKS `clusterName`). */
  readonly fields: Record<string, unknown> | undefined;

  constructor(
    code: string,
    message: string,
    status = 400,
    extra: { jsonType?: string; fields?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.code = code;
    this.status = status;
    this.fault = status >= 500 ? 'Receiver' : 'Sender';
    this.jsonType = extra.jsonType;
    this.fields = extra.fields;
  }
}

export type StandardErrorKind =
  | 'invalidToken'
  | 'expiredToken'
  | 'disabledRegion'
  | 'accessDenied'
  | 'throttle'
  | 'unavailable'
  | 'unknownOperation';

type Spec = [code: string, status: number, jsonType?: string];

// What each real service answers for the failures the router and fault injector produce. The names are
// the ones the SDK's retry strategy and the auditor's error mapping key on.
const QUERY: Record<StandardErrorKind, Spec> = {
  invalidToken: ['InvalidClientTokenId', 403],
  expiredToken: ['ExpiredToken', 403],
  disabledRegion: ['InvalidClientTokenId', 403],
  accessDenied: ['AccessDenied', 403],
  throttle: ['Throttling', 400],
  unavailable: ['ServiceUnavailable', 503],
  unknownOperation: ['InvalidAction', 400],
};
const JSON_RPC: Record<StandardErrorKind, Spec> = {
  invalidToken: ['UnrecognizedClientException', 403],
  expiredToken: ['ExpiredTokenException', 403],
  disabledRegion: ['UnrecognizedClientException', 403],
  accessDenied: ['AccessDeniedException', 403],
  throttle: ['ThrottlingException', 400],
  unavailable: ['ServiceUnavailableException', 503],
  unknownOperation: ['UnknownOperationException', 400],
};
const REST_JSON: Record<StandardErrorKind, Spec> = {
  ...JSON_RPC,
  throttle: ['ThrottlingException', 429],
  unknownOperation: ['UnknownOperationException', 404],
};

const BY_SERVICE: Record<ServiceName, Record<StandardErrorKind, Spec>> = {
  sts: QUERY,
  iam: { ...QUERY, unavailable: ['ServiceFailure', 500] },
  sns: {
    ...QUERY,
    accessDenied: ['AuthorizationError', 403],
    throttle: ['Throttled', 429],
    unavailable: ['InternalError', 500],
  },
  ec2: {
    invalidToken: ['AuthFailure', 401],
    expiredToken: ['RequestExpired', 400],
    disabledRegion: ['AuthFailure', 401],
    accessDenied: ['UnauthorizedOperation', 403],
    throttle: ['RequestLimitExceeded', 503],
    unavailable: ['Unavailable', 503],
    unknownOperation: ['InvalidAction', 400],
  },
  organizations: {
    ...JSON_RPC,
    throttle: ['TooManyRequestsException', 400],
    unavailable: ['ServiceException', 500],
  },
  // awsQuery-compatible JSON: the SDK names the error after the query code in x-amzn-query-error.
  cloudwatch: {
    invalidToken: ['InvalidClientTokenId', 403, 'UnrecognizedClientException'],
    expiredToken: ['ExpiredToken', 403, 'ExpiredTokenException'],
    disabledRegion: ['InvalidClientTokenId', 403, 'UnrecognizedClientException'],
    accessDenied: ['AccessDenied', 403, 'AccessDeniedException'],
    throttle: ['Throttling', 400, 'ThrottlingException'],
    unavailable: ['InternalServiceError', 500, 'InternalServiceFault'],
    unknownOperation: ['InvalidAction', 400, 'UnknownOperationException'],
  },
  eks: { ...REST_JSON, unavailable: ['ServerException', 500] },
  dynamodb: {
    ...JSON_RPC,
    throttle: ['ThrottlingException', 400],
    unavailable: ['InternalServerError', 500],
  },
  securityhub: {
    ...REST_JSON,
    throttle: ['TooManyRequestsException', 429],
    unavailable: ['InternalException', 500],
  },
  ssm: {
    ...JSON_RPC,
    throttle: ['ThrottlingException', 400],
    unavailable: ['InternalServerError', 500],
  },
  account: {
    ...REST_JSON,
    throttle: ['TooManyRequestsException', 429],
    unavailable: ['InternalServerException', 500],
  },
  s3: {
    invalidToken: ['InvalidAccessKeyId', 403],
    expiredToken: ['ExpiredToken', 400],
    disabledRegion: ['InvalidAccessKeyId', 403],
    accessDenied: ['AccessDenied', 403],
    throttle: ['SlowDown', 503],
    unavailable: ['InternalError', 500],
    unknownOperation: ['NotImplemented', 501],
  },
};

const MESSAGES: Record<StandardErrorKind, string> = {
  invalidToken: 'The security token included in the request is invalid.',
  expiredToken: 'The security token included in the request is expired',
  disabledRegion: 'The security token included in the request is invalid.',
  accessDenied: 'User is not authorized to perform this operation',
  throttle: 'Rate exceeded',
  unavailable: 'Service is unavailable. Please try again later.',
  unknownOperation: 'The requested operation is not supported',
};

export function standardError(kind: StandardErrorKind, service: ServiceName, message?: string): ApiError {
  const [code, status, jsonType] = BY_SERVICE[service][kind];
  return new ApiError(code, message ?? MESSAGES[kind], status, jsonType ? { jsonType } : {});
}
