// Systems Manager (awsJson1_1, `X-Amz-Target: AmazonSSM.<Op>`): the parameters the world declares
// (`ssmParameters`), per account and region, with GetParameter, as the Lambda reads its suppression file.

import { ApiError } from '../errors.ts';
import type { JsonObject } from '../protocols/json.ts';
import type { CallContext, JsonService } from './types.ts';

function getParameter(ctx: CallContext, input: JsonObject): unknown {
  const name = typeof input.Name === 'string' ? input.Name : '';
  if (name === '') throw new ApiError('ValidationException', 'Name is required', 400);
  const parameter = ctx.state.world.ssmParameters.find(
    (p) =>
      p.name === name && (p.account ?? ctx.state.caller.id) === ctx.account.id && p.region === ctx.region,
  );
  if (!parameter) throw new ApiError('ParameterNotFound', `Parameter ${name} not found.`, 400);
  return {
    Parameter: {
      Name: parameter.name,
      Type: parameter.type,
      Value: parameter.value,
      Version: 1,
      ARN: `arn:${ctx.state.partition}:ssm:${ctx.region}:${ctx.account.id}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
      DataType: 'text',
    },
  };
}

export const ssm: JsonService = {
  name: 'ssm',
  signingName: 'ssm',
  protocol: 'json',
  version: '1.1',
  targetPrefix: 'AmazonSSM',
  queryCompatible: false,
  global: false,
  operations: { GetParameter: getParameter },
};
