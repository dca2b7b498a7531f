import {
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { organizationUnitPaths } from '../../src/scope/organization-units.ts';

const direct = <T>(fn: () => Promise<T>) => fn();
const organizations = mockClient(OrganizationsClient);
afterEach(() => organizations.reset());

/** An organization as a tree: OU id → its name, child OUs and accounts. */
function anOrganization(tree: Record<string, { name: string; children: string[]; accounts: string[] }>) {
  organizations.on(ListRootsCommand).resolves({ Roots: [{ Id: 'r-root' }] });
  organizations.on(ListOrganizationalUnitsForParentCommand).callsFake(({ ParentId, NextToken }) => {
    const children =
      ParentId === 'r-root' ? ['ou-workloads', 'ou-security'] : (tree[ParentId]?.children ?? []);
    // Two pages for the root, as ListOrganizationalUnitsForParent pages: the second page must not be lost.
    const page = ParentId === 'r-root' ? (NextToken ? children.slice(1) : children.slice(0, 1)) : children;
    return {
      OrganizationalUnits: page.map((id) => ({ Id: id, Name: tree[id]?.name })),
      ...(ParentId === 'r-root' && !NextToken ? { NextToken: 'more' } : {}),
    };
  });
  organizations.on(ListAccountsForParentCommand).callsFake(({ ParentId }) => ({
    Accounts: (tree[ParentId]?.accounts ?? []).map((id) => ({ Id: id })),
  }));
}

describe('organizationUnitPaths', () => {
  it('gives each account the path of OU names it sits under, and / to those directly under the root', async () => {
    // Prepare
    anOrganization({
      'ou-workloads': { name: 'Workloads', children: ['ou-prod', 'ou-dev'], accounts: [] },
      'ou-prod': { name: 'Prod', children: [], accounts: ['222222222222'] },
      'ou-dev': { name: 'Dev', children: [], accounts: ['333333333333'] },
      'ou-security': { name: 'Security', children: [], accounts: ['444444444444'] },
    });

    // Act
    const { paths } = await organizationUnitPaths(
      new OrganizationsClient({}),
      ['111111111111', '222222222222', '333333333333', '444444444444'],
      direct,
    );

    // Assess
    expect(paths).toEqual({
      '111111111111': '/',
      '222222222222': '/Workloads/Prod',
      '333333333333': '/Workloads/Dev',
      '444444444444': '/Security',
    });
  });

  it('fails as a whole when the organization cannot be read, so no account gets a made-up path', async () => {
    // Prepare
    organizations
      .on(ListRootsCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));

    // Act
    const read = organizationUnitPaths(new OrganizationsClient({}), ['111111111111'], direct);

    // Assess
    await expect(read).rejects.toThrow('not allowed');
  });
});
