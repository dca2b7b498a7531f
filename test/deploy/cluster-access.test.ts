// The cluster access template (deploy/cluster-access.yaml): one access entry, for one principal, with the view
// policy on the whole cluster and nothing more; the policy the auditor's audit errors tell owners to associate.
import { describe, expect, it } from 'vitest';
import { viewPolicyArn } from '../../src/checks/kubernetes-access.ts';
import { DEFAULTS } from '../../src/config/schema.ts';
import { allowedBy, deployTemplate } from './support/cloudformation.ts';

const template = deployTemplate('cluster-access.yaml');
const resources = Object.values(template.Resources);
const entry = resources[0]?.Properties as {
  ClusterName: unknown;
  PrincipalArn: unknown;
  Type: string;
  KubernetesGroups?: unknown;
  AccessPolicies: { PolicyArn: { 'Fn::Sub': string }; AccessScope: { Type: string; Namespaces?: unknown } }[];
};
const matches = (parameter: string, value: string) => allowedBy(template, parameter, value);

describe('deploy/cluster-access.yaml', () => {
  it('creates one standard access entry for the given cluster and principal, with no Kubernetes groups', () => {
    // Act
    const types = resources.map((resource) => resource.Type);

    // Assess
    expect(types).toEqual(['AWS::EKS::AccessEntry']);
    expect(entry.ClusterName).toEqual({ Ref: 'ClusterName' });
    expect(entry.PrincipalArn).toEqual({ Ref: 'PrincipalArn' });
    expect(entry.Type).toBe('STANDARD');
    expect(entry.KubernetesGroups).toBeUndefined();
  });

  it('associates AmazonEKSViewPolicy on the whole cluster, and only it', () => {
    // Act
    const policies = entry.AccessPolicies.map((policy) => ({
      arn: policy.PolicyArn['Fn::Sub'].replace('${AWS::Partition}', 'aws'),
      scope: policy.AccessScope,
    }));

    // Assess
    expect(policies).toEqual([{ arn: viewPolicyArn('aws'), scope: { Type: 'cluster' } }]);
  });

  it('takes the member role as principal and refuses a user or an assumed-role session', () => {
    // Assess
    expect(matches('PrincipalArn', `arn:aws:iam::222222222222:role/${DEFAULTS.roleName}`)).toBe(true);
    expect(matches('PrincipalArn', 'arn:aws:iam::222222222222:user/alice')).toBe(false);
    expect(matches('PrincipalArn', 'arn:aws:sts::222222222222:assumed-role/OIDCAuditRole/s')).toBe(false);
    expect(matches('ClusterName', 'prod')).toBe(true);
    expect(matches('ClusterName', "prod';x")).toBe(false);
  });
});
