import { describe, expect, it } from 'vitest';
import { federatedProviderArns, rolesTrustingIssuer } from '../../src/trust/references.ts';
import { ACCOUNT_ID, aCluster, aProvider, aRole } from '../support/inventory.ts';

describe('which roles rely on an issuer', () => {
  it('counts a role whose Allow statement names the provider', () => {
    // Prepare
    const provider = aProvider({ cluster: aCluster() });
    const role = aRole({ trusts: [provider.arn] });

    // Act
    const trusting = rolesTrustingIssuer([role], ACCOUNT_ID, provider.url);

    // Assess
    expect(trusting).toEqual([role]);
  });

  it('does not count a role that only names the provider in a Deny', () => {
    // Prepare: a guard statement is no sign that pods use IRSA with this issuer
    const provider = aProvider({ cluster: aCluster() });
    const role = aRole({
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: { Federated: provider.arn },
            Action: 'sts:AssumeRoleWithWebIdentity',
          },
        ],
      },
    });

    // Act
    const arns = federatedProviderArns(role.trustPolicy);

    // Assess
    expect(arns).toEqual([]);
    expect(rolesTrustingIssuer([role], ACCOUNT_ID, provider.url)).toEqual([]);
  });
});
