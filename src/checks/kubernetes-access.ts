// The commands that give the auditor read access to a cluster's Kubernetes API, or say why it cannot reach it: the
// remediation of a `kubernetes-access` or `kubernetes-unreachable` audit error (docs/kubernetes.md). Access is
// granted by the cluster's owner, never taken by the auditor: an access entry for the auditor's principal with
// AmazonEKSViewPolicy on the whole cluster, as deploy/cluster-access.yaml declares it.

import type { AuditError } from '../model/inventory.ts';
import { type Steps, shellQuote, steps } from './remediation.ts';

function command(...words: string[]): string {
  return words.map(shellQuote).join(' ');
}

export function viewPolicyArn(partition: string): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy`;
}

/** The cluster's name, region and partition from its ARN (`arn:aws:eks:<region>:<account>:cluster/<name>`). */
function clusterOf(error: AuditError): { name: string; region: string; partition: string } {
  const parts = (error.cluster ?? '').split(':');
  const resource = parts.slice(5).join(':');
  return {
    name: resource.startsWith('cluster/') ? resource.slice('cluster/'.length) : '<cluster>',
    region: parts[3] ?? error.region ?? '<region>',
    partition: parts[1] ?? 'aws',
  };
}

export function kubernetesRemediation(error: AuditError): Steps {
  const cluster = clusterOf(error);
  const principal = error.principal ?? '<the auditor role ARN>';
  const eks = (...words: string[]) =>
    command('aws', 'eks', ...words, '--region', cluster.region, '--cluster-name', cluster.name);
  const updateConfig = (...words: string[]) =>
    command(
      'aws',
      'eks',
      'update-cluster-config',
      '--region',
      cluster.region,
      '--name',
      cluster.name,
      ...words,
    );
  const entry = eks('create-access-entry', '--principal-arn', principal);
  const policy = `${eks(
    'associate-access-policy',
    '--principal-arn',
    principal,
    '--policy-arn',
    viewPolicyArn(cluster.partition),
  )} --access-scope type=cluster`;
  if (error.stage === 'kubernetes-access') {
    if (error.code === 'Forbidden') return steps(policy);
    if (error.code === 'NotMappedInAwsAuth')
      return steps(
        '# the cluster reads the aws-auth ConfigMap only: let it take access entries too, then grant one',
        updateConfig('--access-config', 'authenticationMode=API_AND_CONFIG_MAP'),
        entry,
        policy,
      );
    return steps(entry, policy);
  }
  if (error.code === 'PrivateEndpoint')
    return steps(
      '# run the audit from a network that reaches the private endpoint, or map it: --connect-to HOST:443:PROXY:PORT',
      '# or open the public endpoint to the egress address of the audit only:',
      `${updateConfig('--resources-vpc-config')} endpointPublicAccess=true,publicAccessCidrs=${shellQuote('<egress CIDR of the audit>')}`,
    );
  if (error.code === 'TimeBudgetExceeded')
    return steps('# rerun the audit with a longer --time-limit, or fewer accounts or regions at a time');
  return steps(
    '# check the network path from where the audit runs to the API endpoint (its public access CIDRs, proxies):',
    command(
      'aws',
      'eks',
      'describe-cluster',
      '--region',
      cluster.region,
      '--name',
      cluster.name,
      '--query',
      'cluster.resourcesVpcConfig',
    ),
  );
}
