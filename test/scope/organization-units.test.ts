import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationUnitPaths } from '../../src/scope/organization-units.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { account, CALLER_ID, callerAccount, world } from '../sandbox/world-builders.ts';

const direct = <T>(fn: () => Promise<T>) => fn();
const PROD = '222222222222';
const DEV = '333333333333';
const SECURITY = '444444444444';
// Twenty OUs without accounts come first under the root, so the OUs that hold accounts are on the second page of
// ListOrganizationalUnitsForParent (20 a page): a lost page leaves them all at `/`.
const EMPTY_OUS = Array.from({ length: 20 }, (_, i) => `/Empty-${String(i).padStart(2, '0')}`);

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(
    world(
      [
        callerAccount(),
        account(PROD, { ou: '/Workloads/Prod' }),
        account(DEV, { ou: '/Workloads/Dev' }),
        account(SECURITY, { ou: '/Security' }),
      ],
      { organization: { managementAccount: CALLER_ID, ous: EMPTY_OUS } },
    ),
    { issuers: false },
  );
});
afterAll(() => sandbox.stop());

function organizations(): OrganizationsClient {
  return new OrganizationsClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
}

describe('organizationUnitPaths', () => {
  it('gives each account the path of OU names it sits under, and / to those directly under the root', async () => {
    // Prepare
    sandbox.log.reset();

    // Act
    const { paths } = await organizationUnitPaths(organizations(), [CALLER_ID, PROD, DEV, SECURITY], direct);

    // Assess: every OU read, the root's in two pages
    expect(paths).toEqual({
      [CALLER_ID]: '/',
      [PROD]: '/Workloads/Prod',
      [DEV]: '/Workloads/Dev',
      [SECURITY]: '/Security',
    });
    const parents = 1 + EMPTY_OUS.length + ['Workloads', 'Prod', 'Dev', 'Security'].length;
    expect(sandbox.log.calls('organizations', 'ListOrganizationalUnitsForParent')).toBe(parents + 1);
  });

  it('fails as a whole when the organization cannot be read, so no account gets a made-up path', async () => {
    // Prepare
    sandbox.faults.failNext('organizations:ListRoots', { error: 'accessDenied' });

    // Act
    const read = organizationUnitPaths(organizations(), [CALLER_ID], direct);

    // Assess
    await expect(read).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
