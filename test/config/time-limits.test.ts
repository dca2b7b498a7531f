import { describe, expect, it } from 'vitest';
import { inputFromEnv } from '../../src/config/env.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { parseFlags } from '../../src/config/flags.ts';
import { mergeInputs, resolveConfig } from '../../src/config/resolve.ts';

describe('time-outs and the time limit', () => {
  it('default to 3 s per connection, 20 s per request and no time limit', () => {
    // Act
    const config = resolveConfig('cli', mergeInputs(inputFromEnv({}), parseFlags([]).input));

    // Assess
    expect(config).toMatchObject({ awsConnectTimeoutMs: 3_000, awsRequestTimeoutMs: 20_000 });
    expect(config.timeLimitSeconds).toBeUndefined();
  });

  it('come from the environment, and flags override it', () => {
    // Prepare
    const env = inputFromEnv({ AUDIT_AWS_CONNECT_TIMEOUT_MS: '500', AUDIT_AWS_REQUEST_TIMEOUT_MS: '9000' });

    // Act
    const flags = parseFlags(['--aws-request-timeout-ms', '4000', '--time-limit', '600']);
    const config = resolveConfig('cli', mergeInputs(env, flags.input));

    // Assess
    expect(config).toMatchObject({
      awsConnectTimeoutMs: 500,
      awsRequestTimeoutMs: 4_000,
      timeLimitSeconds: 600,
    });
  });

  it.each([
    [['--time-limit', '5'], 'flag --time-limit: expected at least 10'],
    [['--time-limit', '1m'], 'flag --time-limit: expected a whole number from 10 to 86400'],
    [['--aws-request-timeout-ms', '0'], 'flag --aws-request-timeout-ms: expected at least 1000'],
    [['--aws-connect-timeout-ms', '99999999'], 'flag --aws-connect-timeout-ms: expected at most 60000'],
  ])('refuse %j, naming the flag', (argv, expected) => {
    // Act / Assess
    expect(() => parseFlags(argv)).toThrow(ConfigError);
    expect(() => parseFlags(argv)).toThrow(expected);
  });

  it('refuse a bad environment value, naming the variable', () => {
    expect(() => inputFromEnv({ AUDIT_AWS_REQUEST_TIMEOUT_MS: 'soon' })).toThrow(
      /AUDIT_AWS_REQUEST_TIMEOUT_MS/,
    );
  });
});
