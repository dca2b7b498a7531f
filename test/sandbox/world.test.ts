import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorld, parseWorld, WorldValidationError } from './world.ts';
import { account, CALLER_ID, callerAccount, cluster, MEMBER_ID, provider, world } from './world-builders.ts';

function issuesOf(input: unknown): string[] {
  try {
    parseWorld(input, 'test-world.json');
  } catch (error) {
    if (error instanceof WorldValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('world validation', () => {
  it('fills in defaults for a minimal world', () => {
    // Prepare
    const input = world([callerAccount({ clusters: [cluster('prod')] })]);

    // Act
    const parsed = parseWorld(input);

    // Assess
    expect(parsed.partition).toBe('aws');
    expect(parsed.accounts[0]).toMatchObject({
      status: 'ACTIVE',
      ou: '/',
      assumableRoles: ['OIDCAuditRole'],
    });
    expect(parsed.accounts[0]?.clusters[0]).toMatchObject({ status: 'ACTIVE', version: '1.31' });
    expect(parsed.faults).toMatchObject({ seed: 1, throttleRate: 0, accessDenied: [] });
  });

  it.each([
    [
      'a malformed issuer id',
      world([callerAccount({ clusters: [cluster('prod', 'us-east-1', { issuer: 'abc' })] })]),
      'accounts[0].clusters[0].issuer: expected 32 uppercase hex characters',
    ],
    [
      'a misspelt field',
      world([callerAccount({ clusterz: [] } as never)]),
      'accounts[0]: unknown field(s) clusterz',
    ],
    [
      'a bad account id',
      world([callerAccount({ id: '12345' })]),
      'accounts[0].id: expected a 12-digit account id',
    ],
    [
      'a wrong type',
      world([callerAccount({ denyAssumeRole: 'yes' as never })]),
      'accounts[0].denyAssumeRole: Invalid input: expected boolean, received string',
    ],
    [
      'no caller',
      world([account(CALLER_ID)]),
      'accounts: expected exactly one account with caller: true, found 0',
    ],
    [
      'a duplicate account',
      world([callerAccount(), account(MEMBER_ID), account(MEMBER_ID)]),
      'accounts[2].id: duplicate of accounts[1].id',
    ],
    [
      'a region the partition lacks',
      world([callerAccount({ clusters: [cluster('prod', 'xx-nowhere-1')] })]),
      'accounts[0].clusters[0].region: unknown region for partition aws',
    ],
    [
      'a thumbprint from a host nobody serves',
      world([
        callerAccount({
          oidcProviders: [
            provider('oidc.eks.eu-west-1.amazonaws.com/id/X', {
              thumbprints: [{ fromIssuerHost: 'oidc.eks.eu-west-1.amazonaws.com' }],
            }),
          ],
        }),
      ]),
      'accounts[0].oidcProviders[0].thumbprints[0].fromIssuerHost: no issuer host oidc.eks.eu-west-1.amazonaws.com is served',
    ],
    [
      'an unknown management account',
      world([callerAccount()], { organization: { managementAccount: MEMBER_ID } }),
      'organization.managementAccount: expected the id of an account of the world',
    ],
    [
      'a throttle rate above 1',
      world([callerAccount()], { faults: { throttleRate: 2 } }),
      'faults.throttleRate',
    ],
    [
      'a DynamoDB item without the table key',
      world([callerAccount()], {
        dynamodbTables: [{ name: 'alert-state', partitionKey: 'id', items: [{ status: { S: 'open' } }] }],
      }),
      'dynamodbTables[0].items: expected every item to hold the table key attributes',
    ],
  ])('names the field for %s', (_case, input, expected) => {
    // Prepare: the world above.

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues.some((issue) => issue.startsWith(expected))).toBe(true);
  });

  it('says which file is wrong in the error message', () => {
    // Prepare
    const input = world([callerAccount({ id: 'nope' })]);

    // Act
    const error = (() => {
      try {
        parseWorld(input, 'worlds/demo.json');
      } catch (e) {
        return e as Error;
      }
    })();

    // Assess
    expect(error?.message).toMatch(
      /^Invalid world worlds\/demo\.json:\n {2}accounts\[0\]\.id: expected a 12-digit account id/,
    );
  });
});

describe('loadWorld', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'world-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads and validates a JSON file', async () => {
    // Prepare
    const path = join(dir, 'ok.json');
    await writeFile(path, JSON.stringify(world([callerAccount()])));

    // Act
    const loaded = await loadWorld(path);

    // Assess
    expect(loaded.accounts[0]?.id).toBe(CALLER_ID);
  });

  it('reports a file that is not JSON', async () => {
    // Prepare
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ "accounts": [');

    // Act
    const error = await loadWorld(path).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(WorldValidationError);
    expect((error as Error).message).toContain(`Invalid world ${path}:\n  (root): not JSON`);
  });
});
