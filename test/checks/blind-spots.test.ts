// A blind spot counts: an account that could not be read at all is high, so it reaches the default alert
// threshold and --fail-on high; a region or a stage alone stays medium.
import { describe, expect, it } from 'vitest';
import { checkAuditErrors } from '../../src/checks/audit-errors.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import type { AuditedAccount } from '../../src/model/inventory.ts';
import { coverageOf } from '../../src/report/coverage.ts';
import { ACCOUNT_ID, aContext, anAccount, anAuditError, anInventory, REGION } from '../support/inventory.ts';

const OTHER = '444455556666';

describe('audit-error severity', () => {
  it.each<{ name: string; accounts: AuditedAccount[]; errors: ReturnType<typeof anAuditError>[] }>([
    {
      name: 'AccessDenied: not authorized to perform: sts:AssumeRole (never entered)',
      accounts: [],
      errors: [anAuditError({ accountId: OTHER, region: null, stage: 'assume-role', code: 'AccessDenied' })],
    },
    {
      name: 'AccessDenied on iam:ListRoles and iam:ListOpenIDConnectProviders (IAM unreadable)',
      accounts: [anAccount({ providersAudited: false, rolesAudited: false })],
      errors: [
        anAuditError({ region: null, stage: 'iam-providers', code: 'AccessDenied' }),
        anAuditError({ region: null, stage: 'iam-roles', code: 'AccessDenied' }),
      ],
    },
    {
      name: 'AccessDeniedException on eks:ListClusters in every region',
      accounts: [anAccount({ regionsAudited: [] })],
      errors: [anAuditError({ region: 'us-east-1' }), anAuditError({ region: 'eu-west-1' })],
    },
    {
      name: 'TimeBudgetExceeded before the organization was listed (nothing audited)',
      accounts: [],
      errors: [anAuditError({ accountId: null, region: null, stage: 'time budget (organization)' })],
    },
  ])('is high when the account cannot be read at all: $name', ({ accounts, errors }) => {
    // Act
    const findings = checkAuditErrors(deriveFacts(anInventory({ accounts, errors })), aContext());

    // Assess
    expect(findings.map((f) => f.severity)).toEqual(errors.map(() => 'high'));
  });

  it.each<{ name: string; accounts: AuditedAccount[]; error: ReturnType<typeof anAuditError> }>([
    {
      name: 'UnrecognizedClientException in one disabled region of a read account',
      accounts: [anAccount({ regionsAudited: ['us-east-1'] })],
      error: anAuditError({ region: 'ap-east-1', code: 'UnrecognizedClientException' }),
    },
    {
      name: 'AccessDenied on iam:ListRoles alone',
      accounts: [anAccount({ rolesAudited: false })],
      error: anAuditError({ region: null, stage: 'iam-roles', code: 'AccessDenied' }),
    },
    {
      name: 'a run-wide probe error while accounts were read',
      accounts: [anAccount()],
      error: anAuditError({ accountId: null, region: REGION, stage: 'time budget (issuer probe)' }),
    },
  ])('stays medium for a region or a stage alone: $name', ({ accounts, error }) => {
    // Act
    const [finding] = checkAuditErrors(deriveFacts(anInventory({ accounts, errors: [error] })), aContext());

    // Assess
    expect(finding?.severity).toBe('medium');
  });
});

describe('coverage', () => {
  const scope = (accountsInScope: string[], targets: { accountId: string; regions: string[] }[]) => ({
    accountsInScope,
    regionsInScope: ['eu-west-1', 'us-east-1'],
    targets: targets.map((t) => ({ ...t, partition: 'aws' as const })),
  });

  it('is 100% when every account × region was read', () => {
    // Act
    const coverage = coverageOf(
      { regions: 'all' },
      scope([ACCOUNT_ID], [{ accountId: ACCOUNT_ID, regions: ['eu-west-1', 'us-east-1'] }]),
      anInventory({ accounts: [anAccount({ regionsAudited: ['eu-west-1', 'us-east-1'] })] }),
    );

    // Assess
    expect(coverage).toEqual({ pairsInScope: 2, pairsAudited: 2, percent: 100, blindAccounts: [] });
  });

  it('counts a never-entered account with as many regions as the average known one, and names it blind', () => {
    // Prepare: OTHER refused AssumeRole, so its regions are not known
    const inventory = anInventory({
      accounts: [anAccount({ regionsAudited: ['eu-west-1', 'us-east-1'] })],
      errors: [anAuditError({ accountId: OTHER, region: null, stage: 'assume-role', code: 'AccessDenied' })],
    });

    // Act
    const coverage = coverageOf(
      { regions: 'all' },
      scope([ACCOUNT_ID, OTHER], [{ accountId: ACCOUNT_ID, regions: ['eu-west-1', 'us-east-1'] }]),
      inventory,
    );

    // Assess
    expect(coverage).toEqual({ pairsInScope: 4, pairsAudited: 2, percent: 50, blindAccounts: [OTHER] });
  });

  it('counts a region read while the account IAM was not as not audited, and rounds down', () => {
    // Act
    const coverage = coverageOf(
      { regions: ['us-east-1', 'eu-west-1', 'ap-south-1'] },
      scope(
        [ACCOUNT_ID, OTHER],
        [
          { accountId: ACCOUNT_ID, regions: ['us-east-1', 'eu-west-1', 'ap-south-1'] },
          { accountId: OTHER, regions: ['us-east-1', 'eu-west-1', 'ap-south-1'] },
        ],
      ),
      anInventory({
        accounts: [
          anAccount({ regionsAudited: ['us-east-1', 'eu-west-1', 'ap-south-1'] }),
          anAccount({ accountId: OTHER, regionsAudited: ['us-east-1', 'eu-west-1'], rolesAudited: false }),
        ],
      }),
    );

    // Assess: 3 of 6
    expect(coverage).toMatchObject({ pairsInScope: 6, pairsAudited: 3, percent: 50 });
  });

  it('is 0%, not 100%, when the run could not even list its accounts', () => {
    // Act
    const coverage = coverageOf(
      { regions: 'all' },
      scope([], []),
      anInventory({
        accounts: [],
        errors: [anAuditError({ accountId: null, region: null, stage: 'organization' })],
      }),
    );

    // Assess
    expect(coverage.percent).toBe(0);
  });
});
