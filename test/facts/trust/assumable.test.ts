import { describe, expect, it } from 'vitest';
import { deriveFacts } from '../../../src/facts/index.ts';
import {
  ACCOUNT_ID,
  aCluster,
  anAccount,
  anAssociation,
  aPodIdentityRole,
  providerArnFor,
  REGION,
} from '../../support/inventory.ts';
import { aRoleTrusting, aStatement, aTrustPolicy, aWorld, urlOf, withRole } from '../../support/trust.ts';

const world = aWorld();
const { prod, staging, github } = world.arns;

describe('the assumable roles of each cluster (facts)', () => {
  it('lists, per cluster, the roles its service accounts can assume and as whom', () => {
    // Prepare
    const inventory = withRole(
      world.inventory,
      aRoleTrusting(
        aTrustPolicy(aStatement(prod, { sub: 'system:serviceaccount:ci:*', subOperator: 'StringLike' })),
        'ci',
      ),
      aRoleTrusting(aTrustPolicy(aStatement(prod), aStatement(staging)), 'app'),
      aRoleTrusting(aTrustPolicy(aStatement(github, { sub: 'repo:org/app:ref:refs/heads/main' })), 'deploy'),
    );

    // Act
    const result = deriveFacts(inventory).assumableRoles;

    // Assess
    expect(result).toEqual([
      {
        clusterArn: `arn:aws:eks:${REGION}:${ACCOUNT_ID}:cluster/prod`,
        clusterName: 'prod',
        accountId: ACCOUNT_ID,
        region: REGION,
        issuer: `https://${urlOf(prod)}`,
        roles: [
          {
            roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/app`,
            roleName: 'app',
            accountId: ACCOUNT_ID,
            via: 'irsa',
            providerArn: prod,
            subjects: ['default:app'],
            breadth: 'exact',
            audiences: ['sts.amazonaws.com'],
            providerVerified: true,
          },
          {
            roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/ci`,
            roleName: 'ci',
            accountId: ACCOUNT_ID,
            via: 'irsa',
            providerArn: prod,
            subjects: ['ci:*'],
            breadth: 'scope-wide',
            audiences: ['sts.amazonaws.com'],
            providerVerified: true,
          },
        ],
      },
      expect.objectContaining({
        clusterName: 'staging',
        roles: [expect.objectContaining({ roleName: 'app', subjects: ['default:app'] })],
      }),
    ]);
  });

  it.each([
    {
      name: 'a statement no token matches',
      policy: aTrustPolicy(aStatement(prod, { sub: 'system:serviceaccount:*' })),
    },
    {
      name: 'a provider in another account',
      policy: aTrustPolicy(aStatement(providerArnFor(urlOf(prod), '999988887777'))),
    },
    {
      name: 'a provider registered under the dual-stack alias',
      policy: aTrustPolicy(
        aStatement(
          providerArnFor(
            urlOf(prod).replace('oidc.eks.us-east-1.amazonaws.com', 'oidc-eks.us-east-1.api.aws'),
          ),
        ),
      ),
    },
    {
      name: 'only the sts:AssumeRole action',
      policy: aTrustPolicy(aStatement(prod, { action: 'sts:AssumeRole' })),
    },
  ])('leaves out $name', ({ policy }) => {
    // Prepare
    const inventory = withRole(world.inventory, aRoleTrusting(policy));

    // Act
    const [prodCluster] = deriveFacts(inventory).assumableRoles;

    // Assess
    expect(prodCluster?.roles).toEqual([]);
  });

  it('includes roles whose provider could not be checked, marked unverified', () => {
    // Prepare
    const inventory = withRole(
      { ...world.inventory, accounts: [anAccount({ providersAudited: false })], providers: [] },
      aRoleTrusting(aTrustPolicy(aStatement(prod))),
    );

    // Act
    const [prodCluster] = deriveFacts(inventory).assumableRoles;

    // Assess
    expect(prodCluster?.roles).toEqual([
      expect.objectContaining({ subjects: ['default:app'], providerVerified: false, audiences: undefined }),
    ]);
  });

  it('skips clusters without an issuer', () => {
    // Prepare
    const inventory = { ...world.inventory, clusters: [aCluster({ name: 'outpost', issuer: null })] };

    // Act
    const result = deriveFacts(inventory).assumableRoles;

    // Assess
    expect(result).toEqual([]);
  });

  it("shows a Pod Identity association's session policy on the role the pods end up with", () => {
    // Prepare
    const policy =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
    const base = aCluster({ name: 'prod' });
    const association = anAssociation(base, { disableSessionTags: true, sessionPolicy: policy });
    const cluster = { ...base, podIdentity: { associations: [association], agent: { status: 'ACTIVE' } } };
    const inventory = withRole({ ...world.inventory, clusters: [cluster] }, aPodIdentityRole());

    // Act
    const [prodCluster] = deriveFacts(inventory).assumableRoles;

    // Assess
    expect(prodCluster?.roles).toEqual([
      expect.objectContaining({ via: 'pod-identity', roleName: 'app-pod-identity', sessionPolicy: policy }),
    ]);
  });
});
