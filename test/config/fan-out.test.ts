import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { fanOutSettings, MAX_SHARD_SIZE } from '../../src/config/fan-out.ts';

const env = (overrides: Record<string, string>) => ({ PARTS_BUCKET: 'eks-oidc-parts', ...overrides });

describe('fanOutSettings', () => {
  it('takes shards of 500 accounts, ten at once, unless told otherwise', () => {
    expect(fanOutSettings(env({}))).toEqual({ bucket: 'eks-oidc-parts', shardSize: 500, concurrency: 10 });
  });

  it('takes a shard size up to the bound', () => {
    expect(fanOutSettings(env({ AUDIT_SHARD_SIZE: String(MAX_SHARD_SIZE) })).shardSize).toBe(MAX_SHARD_SIZE);
  });

  it.each([
    [
      String(MAX_SHARD_SIZE + 1),
      `at most ${MAX_SHARD_SIZE} accounts: a larger shard outgrows one invocation`,
    ],
    ['10000', `at most ${MAX_SHARD_SIZE} accounts`],
    ['0', 'at least 1 account'],
    ['500 ', `a whole number of accounts from 1 to ${MAX_SHARD_SIZE}`],
  ])('refuses AUDIT_SHARD_SIZE=%j, saying why', (value, message) => {
    // Act
    const settings = () => fanOutSettings(env({ AUDIT_SHARD_SIZE: value }));

    // Assess
    expect(settings).toThrow(ConfigError);
    expect(settings).toThrow(`environment variable AUDIT_SHARD_SIZE: expected ${message}`);
  });

  it('refuses to run without PARTS_BUCKET, naming it', () => {
    // Act
    const settings = () => fanOutSettings({ AUDIT_SHARD_SIZE: '100' });

    // Assess
    expect(settings).toThrow(ConfigError);
    expect(settings).toThrow('environment variable PARTS_BUCKET: expected an S3 bucket name');
  });
});
