import { describe, expect, it } from 'vitest';
import { inputFromEnv } from '../../src/config/env.ts';
import { inputFromEvent } from '../../src/config/event.ts';
import { parseFlags } from '../../src/config/flags.ts';
import { mergeInputs, resolveConfig } from '../../src/config/resolve.ts';

const manual = (fields: Record<string, unknown>) => inputFromEvent({ trigger: 'manual', ...fields });

describe('scope input', () => {
  it.each([
    [
      'flags',
      () =>
        parseFlags(['--regions', 'us-east-1,eu-west-1,us-east-1', '--accounts', '111122223333,111122223333'])
          .input,
    ],
    [
      'environment',
      () =>
        inputFromEnv({
          AUDIT_REGIONS: 'us-east-1,eu-west-1,us-east-1',
          AUDIT_ACCOUNTS: '111122223333,111122223333',
        }),
    ],
    [
      'event',
      () =>
        manual({
          regions: ['us-east-1', 'eu-west-1', 'us-east-1'],
          accounts: ['111122223333', '111122223333'],
        }).input,
    ],
  ])('takes each region and account once from the %s, in first-seen order', (_, input) => {
    // Act
    const config = resolveConfig('cli', mergeInputs(input()));

    // Assess
    expect(config.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(config.accounts).toEqual({ kind: 'list', ids: ['111122223333'] });
  });

  it.each([
    [
      'the flag',
      () => parseFlags(['--regions', 'eu-wset-1']),
      /flag --regions\[0\]: eu-wset-1 is not an AWS region/,
    ],
    [
      'the environment',
      () => inputFromEnv({ AUDIT_REGIONS: 'us-east-99' }),
      /AUDIT_REGIONS\[0\]: us-east-99 is not/,
    ],
    [
      'the event',
      () => manual({ regions: ['mars-north-1'] }),
      /event field regions.*mars-north-1 is not an AWS region/s,
    ],
  ])('refuses an unknown region from %s, naming it', (_, parse, expected) => {
    expect(parse).toThrow(expected);
  });

  it('accepts every region of the China and GovCloud partitions', () => {
    expect(parseFlags(['--regions', 'cn-north-1,us-gov-west-1']).input.regions).toEqual([
      'cn-north-1',
      'us-gov-west-1',
    ]);
  });

  it.each([
    [
      '10,001 accounts',
      { accounts: Array.from({ length: 10_001 }, (_, i) => String(100000000000 + i)) },
      /at most 10000 account ids/,
    ],
    ['51 regions', { regions: Array.from({ length: 51 }, () => 'us-east-1') }, /at most 50 regions/],
  ])('refuses a manual event with %s', (_, fields, expected) => {
    expect(() => manual(fields)).toThrow(expected);
  });

  it('refuses --alert-topic-arn without --publish, and takes it with', () => {
    const topic = ['--alert-topic-arn', 'arn:aws:sns:us-east-1:111122223333:alerts'];
    expect(() => parseFlags(topic)).toThrow(/flag --alert-topic-arn: alerts are only sent with --publish/);
    expect(parseFlags([...topic, '--publish']).input.alertTopicArn).toBe(
      'arn:aws:sns:us-east-1:111122223333:alerts',
    );
  });
});
