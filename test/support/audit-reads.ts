// The AWS calls the auditor makes (docs/aws-apis.md), each a read; sts:GetCallerIdentity needs no permission.
// One list for every test that checks a grant: the Lambda's role and the member-account role.

/** What the auditor reads in each audited account, with its own credentials or the member role. */
export const MEMBER_READS = [
  'account:ListRegions',
  'ec2:DescribeRegions',
  'eks:DescribeAddon',
  'eks:DescribeCluster',
  'eks:DescribePodIdentityAssociation',
  'eks:ListAddons',
  'eks:ListClusters',
  'eks:ListPodIdentityAssociations',
  'iam:GetOpenIDConnectProvider',
  'iam:ListOpenIDConnectProviders',
  'iam:ListRoles',
];

/** What it reads of the organization, with `--accounts org`, from the account it runs in. */
export const ORGANIZATION_READS = [
  'organizations:DescribeAccount',
  'organizations:ListAccounts',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListRoots',
];

/**
 * What the Lambda reads in its own account: the accepted risks' SSM parameter or S3 object, and its own findings in
 * Security Hub (to archive the resolved ones), each only when configured.
 */
export const CONFIGURATION_READS = ['s3:GetObject', 'securityhub:GetFindings', 'ssm:GetParameter'];
