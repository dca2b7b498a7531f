import { describe, expect, it } from 'vitest';
import { checkAudiences } from '../../src/checks/audiences.ts';
import { deriveFacts } from '../../src/facts/index.ts';
import type { OidcProvider } from '../../src/model/inventory.ts';
import { aCluster, aContext, aliasUrl, anInventory, aProvider, REGION } from '../support/inventory.ts';

const cluster = aCluster();

function findings(provider: OidcProvider, check: string) {
  return checkAudiences(
    deriveFacts(anInventory({ clusters: [cluster], providers: [provider] })),
    aContext(),
  ).filter((finding) => finding.check === check);
}

describe('audience-missing', () => {
  it.each([
    { name: 'no client ids at all', clientIds: [] },
    { name: 'only another audience', clientIds: ['kubernetes.default.svc'] },
    { name: 'different case', clientIds: ['STS.amazonaws.com'] },
    { name: 'stray whitespace', clientIds: ['sts.amazonaws.com '] },
    { name: 'regional STS host', clientIds: ['sts.us-east-1.amazonaws.com'] },
  ])('InvalidIdentityToken: Incorrect token audience: $name', ({ clientIds }) => {
    // Prepare
    const provider = aProvider({ cluster, clientIds });

    // Act
    const result = findings(provider, 'audience-missing');

    // Assess
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({
      severity: 'high',
      resource: provider.arn,
      region: REGION,
      cluster: 'prod',
      remediation: `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${provider.arn} --client-id sts.amazonaws.com`,
      evidence: { expected: ['sts.amazonaws.com'], found: clientIds },
    });
    expect(result[0]?.message).toContain('InvalidIdentityToken: Incorrect token audience');
  });

  it('flags an alias-registered provider too', () => {
    // Prepare
    const provider = aProvider({ cluster, alias: true, clientIds: [] });

    // Act
    const result = findings(provider, 'audience-missing');

    // Assess
    expect(result.map((finding) => finding.resource)).toEqual([provider.arn]);
  });

  it.each([
    { name: 'sts.amazonaws.com is accepted', provider: aProvider({ cluster }) },
    {
      name: 'sts.amazonaws.com is accepted among others',
      provider: aProvider({ cluster, clientIds: ['sts.amazonaws.com', 'vault'] }),
    },
    {
      name: 'a GitHub Actions provider chooses its own audience',
      provider: aProvider({
        url: 'token.actions.githubusercontent.com',
        clientIds: ['api://AzureADTokenExchange'],
      }),
    },
  ])('is quiet when $name', ({ provider }) => {
    // Act
    const result = findings(provider, 'audience-missing');

    // Assess
    expect(result).toEqual([]);
  });
});

describe('audience-extra', () => {
  it('lists every extra audience with one removal command each', () => {
    // Prepare
    const provider = aProvider({ url: aliasUrl(), clientIds: ['sts.amazonaws.com', 'vault', "it's odd"] });

    // Act
    const result = findings(provider, 'audience-extra');

    // Assess
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({
      severity: 'info',
      resource: provider.arn,
      evidence: { extra: ['vault', "it's odd"] },
    });
    expect(result[0]?.remediation.split('\n')).toEqual([
      `aws iam remove-client-id-from-open-id-connect-provider --open-id-connect-provider-arn ${provider.arn} --client-id vault`,
      `aws iam remove-client-id-from-open-id-connect-provider --open-id-connect-provider-arn ${provider.arn} --client-id 'it'"'"'s odd'`,
    ]);
  });

  it.each([
    { name: 'only sts.amazonaws.com is accepted', provider: aProvider({ cluster }) },
    {
      name: 'a GitHub Actions provider',
      provider: aProvider({
        url: 'token.actions.githubusercontent.com',
        clientIds: ['sts.amazonaws.com', 'other'],
      }),
    },
  ])('is quiet when $name', ({ provider }) => {
    // Act
    const result = findings(provider, 'audience-extra');

    // Assess
    expect(result).toEqual([]);
  });
});
