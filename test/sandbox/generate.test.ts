import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import {
  GetOpenIDConnectProviderCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { generatedAccountId, generateWorld } from './generate.ts';
import { type Sandbox, startSandbox } from './server.ts';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

describe('generateWorld', () => {
  it('builds N accounts x R regions x C clusters with a provider and a role per cluster', async () => {
    // Prepare
    const generated = generateWorld({
      accounts: 25,
      regions: ['us-east-1', 'eu-west-1', 'ap-south-1'],
      clustersPerRegion: 2,
    });
    sandbox = await startSandbox(generated, { issuers: false });
    const member = generatedAccountId(7);
    const assumed = await new STSClient(sandbox.clientConfig()).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${member}:role/OIDCAuditRole`, RoleSessionName: 'gen' }),
    );
    const credentials = {
      accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
      sessionToken: assumed.Credentials?.SessionToken ?? '',
    };

    // Act
    const accounts = [];
    for await (const page of paginateListAccounts(
      { client: new OrganizationsClient(sandbox.clientConfig()) },
      {},
    )) {
      accounts.push(...(page.Accounts ?? []));
    }
    const clusters = await new EKSClient({
      ...sandbox.clientConfig(),
      region: 'eu-west-1',
      credentials,
    }).send(new ListClustersCommand({}));
    const iam = new IAMClient({ ...sandbox.clientConfig(), credentials });
    const providers = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    const first = await iam.send(
      new GetOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: providers.OpenIDConnectProviderList?.[0]?.Arn,
      }),
    );
    const roles = await iam.send(new ListRolesCommand({ MaxItems: 1000 }));

    // Assess
    expect(accounts).toHaveLength(25);
    expect(clusters.clusters).toEqual(['eks-eu-west-1-0', 'eks-eu-west-1-1']);
    expect(providers.OpenIDConnectProviderList).toHaveLength(6);
    expect(first.ThumbprintList?.[0]).toMatch(/^[0-9a-f]{40}$/);
    expect(roles.Roles).toHaveLength(7);
    const trust = JSON.parse(decodeURIComponent(roles.Roles?.[0]?.AssumeRolePolicyDocument ?? ''));
    expect(trust.Statement[0].Principal.Federated).toBe(`arn:aws:iam::${member}:oidc-provider/${first.Url}`);
  });

  it("adds unannotated service accounts to each cluster's kube-system, with no pods of their own", () => {
    // Act
    const generated = generateWorld({
      accounts: 1,
      regions: ['us-east-1'],
      clustersPerRegion: 1,
      kubernetes: true,
      systemServiceAccounts: 12,
    });

    // Assess: the annotated app/sa-0 and its pod, then twelve in kube-system
    const side = generated.accounts[0]?.clusters?.[0]?.kubernetes;
    const names = (side?.serviceAccounts ?? []).map((sa) => `${sa.namespace}/${sa.name}`);
    expect(names).toHaveLength(1 + 12);
    expect(names.slice(0, 3)).toEqual(['app/sa-0', 'kube-system/coredns', 'kube-system/aws-node']);
    expect(names.at(-1)).toBe('kube-system/controller-11');
    expect(
      (side?.serviceAccounts ?? []).slice(1).every((sa) => Object.keys(sa.annotations ?? {}).length === 0),
    ).toBe(true);
    expect(side?.pods?.map((pod) => pod.serviceAccount)).toEqual(['sa-0']);
  });

  it('shares sub-objects instead of copying them per cluster', () => {
    // Prepare
    const options = { accounts: 3, regions: 2, clustersPerRegion: 2 };

    // Act
    const generated = generateWorld(options);

    // Assess
    const providers = generated.accounts.flatMap((a) => a.oidcProviders ?? []);
    expect(providers).toHaveLength(12);
    expect(new Set(providers.map((p) => p.clientIds)).size).toBe(1);
    expect(typeof generated.accounts[0]?.roles?.[0]?.trust).toBe('string');
  });
});
