import { describe, expect, it } from 'vitest';
import { checkAuditErrors } from '../../src/checks/audit-errors.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import { auditError, RegionUnresponsive } from '../../src/model/audit-error.ts';
import { ACCOUNT_ID, aContext, anAuditError, anInventory, REGION } from '../support/inventory.ts';

describe('audit-error', () => {
  it.each([
    {
      name: 'AccessDeniedException: not authorized to perform: eks:ListClusters',
      error: anAuditError(),
      accountId: ACCOUNT_ID,
      region: REGION,
      resource: `region:${ACCOUNT_ID}/${REGION}`,
      remediation: /^Grant the audit role in 111122223333 the read permissions for eks/,
    },
    {
      name: 'UnrecognizedClientException: The security token included in the request is invalid (disabled region)',
      error: anAuditError({
        region: 'ap-east-1',
        code: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid',
      }),
      accountId: ACCOUNT_ID,
      region: 'ap-east-1',
      resource: `region:${ACCOUNT_ID}/ap-east-1`,
      remediation: /Region ap-east-1 looks disabled/,
    },
    {
      name: 'AccessDenied: not authorized to perform: sts:AssumeRole',
      error: anAuditError({
        region: null,
        stage: 'assume-role',
        code: 'AccessDenied',
        message: 'not authorized to perform: sts:AssumeRole',
      }),
      accountId: ACCOUNT_ID,
      region: null,
      resource: `account:${ACCOUNT_ID}`,
      remediation:
        /^Let the auditor assume the audit role in 111122223333: .*trust policy must allow sts:AssumeRole/,
    },
    {
      name: 'RegionUnresponsive: a region the run stopped calling after its calls timed out',
      error: auditError(ACCOUNT_ID, 'eu-west-1', 'eks', new RegionUnresponsive('eks in eu-west-1', 4, 3)),
      accountId: ACCOUNT_ID,
      region: 'eu-west-1',
      resource: `region:${ACCOUNT_ID}/eu-west-1`,
      remediation: /^AWS did not answer in eu-west-1 for several accounts in a row .*AWS Health Dashboard/,
    },
    {
      name: 'AWSOrganizationsNotInUseException: no account known yet',
      error: anAuditError({
        accountId: null,
        region: null,
        stage: 'organizations',
        code: 'AWSOrganizationsNotInUseException',
        message: 'Your account is not a member of an organization.',
      }),
      accountId: '',
      region: null,
      resource: 'audit:organizations',
      remediation: /^Rerun the audit/,
    },
  ])('$name', ({ error, accountId, region, resource, remediation }) => {
    // Act
    const result = checkAuditErrors(deriveFacts(anInventory({ errors: [error] })), aContext());

    // Assess
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({
      check: 'audit-error',
      severity: 'medium',
      accountId,
      region,
      resource,
      cluster: null,
    });
    expect(result[0]?.message).toContain(`${error.code}: ${error.message}`);
    expect(result[0]?.remediation).toMatch(remediation);
  });

  it('keeps failures of two stages in one region apart', () => {
    // Prepare
    const errors = [
      anAuditError(),
      anAuditError({ stage: 'time budget', code: 'TimeBudgetExceeded', message: 'stopped at 840 s' }),
    ];

    // Act
    const result = checkAuditErrors(deriveFacts(anInventory({ errors })), aContext());

    // Assess
    expect(new Set(result.map((finding) => finding.id)).size).toBe(2);
  });

  it('writes the message on one line, its line break shown as \\n', () => {
    // Prepare
    const error = anAuditError({ code: 'InternalFailure', message: 'line one\n  line two' });

    // Act
    const [finding] = checkAuditErrors(deriveFacts(anInventory({ errors: [error] })), aContext());

    // Assess
    expect(finding?.message).toBe(
      `Could not audit ${ACCOUNT_ID}/${REGION} (eks): InternalFailure: line one\\n  line two`,
    );
  });

  it("judges a cluster's Kubernetes blind spot by itself, not by its region read before", () => {
    // Prepare: the region was audited by an earlier run; the cluster's Kubernetes side never was known to be read
    const cluster = `arn:aws:eks:${REGION}:${ACCOUNT_ID}:cluster/ops`;
    const errors = [
      anAuditError({ stage: 'kubernetes-access', code: 'NoAccessEntry', message: '401', cluster }),
      anAuditError(),
    ];
    const auditedBefore = new Map([[`${ACCOUNT_ID}/${REGION}`, '2026-11-21T06:00:00.000Z']]);

    // Act
    const result = checkAuditErrors(deriveFacts(anInventory({ errors })), aContext({ auditedBefore }));

    // Assess: the region's own error is lost access (high); the cluster's is not
    expect(result.map((finding) => [finding.resource, finding.severity])).toEqual([
      [cluster, 'medium'],
      [`region:${ACCOUNT_ID}/${REGION}`, 'high'],
    ]);
  });

  it('is quiet when nothing failed', () => {
    // Act
    const result = checkAuditErrors(deriveFacts(anInventory()), aContext());

    // Assess
    expect(result).toEqual([]);
  });
});
