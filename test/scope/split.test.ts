import { describe, expect, it } from 'vitest';
import type { AccountSelection } from '../../src/config/schema.ts';
import { splitOf } from '../../src/scope/split.ts';

const org = (filters: Partial<Extract<AccountSelection, { kind: 'org' }>> = {}): AccountSelection => ({
  kind: 'org',
  includeOus: [],
  excludeOus: [],
  excludeAccounts: [],
  ...filters,
});
const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const base = splitOf(ACCOUNTS, 2, { accounts: org(), regions: ['us-east-1', 'eu-west-1'] });

describe('splitOf', () => {
  it('gives the same split whatever the order the accounts and regions are listed in', () => {
    // Act
    const again = splitOf([...ACCOUNTS].reverse(), 2, {
      accounts: org(),
      regions: ['eu-west-1', 'us-east-1'],
    });

    // Assess
    expect(again).toEqual(base);
    expect(base.accounts).toEqual(ACCOUNTS);
  });

  it.each([
    [
      'an account more',
      () =>
        splitOf([...ACCOUNTS, '444444444444'], 2, { accounts: org(), regions: ['us-east-1', 'eu-west-1'] }),
    ],
    [
      'another shard count',
      () => splitOf(ACCOUNTS, 3, { accounts: org(), regions: ['us-east-1', 'eu-west-1'] }),
    ],
    ['other regions', () => splitOf(ACCOUNTS, 2, { accounts: org(), regions: ['us-east-1'] })],
    ['every region', () => splitOf(ACCOUNTS, 2, { accounts: org(), regions: 'all' })],
    [
      'another account filter',
      () =>
        splitOf(ACCOUNTS, 2, {
          accounts: org({ excludeOus: ['ou-ab12-cd345678'] }),
          regions: ['us-east-1', 'eu-west-1'],
        }),
    ],
    [
      'a list instead of the organization',
      () =>
        splitOf(ACCOUNTS, 2, {
          accounts: { kind: 'list', ids: ACCOUNTS },
          regions: ['us-east-1', 'eu-west-1'],
        }),
    ],
  ])('tells apart a split with %s', (_, other) => {
    expect(other().fingerprint).not.toBe(base.fingerprint);
  });
});
