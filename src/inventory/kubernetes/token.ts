// The bearer token EKS accepts from an IAM principal, made here as `aws eks get-token` and aws-iam-authenticator
// make it (pkg/token in kubernetes-sigs/aws-iam-authenticator): `k8s-aws-v1.` and the unpadded base64url of a
// presigned STS GetCallerIdentity URL whose signature covers the header `x-k8s-aws-id: <cluster name>`. EKS
// replays the URL to STS to learn who signed it, and refuses a token signed for another cluster. Nothing is sent
// to STS by the auditor: the token is signed locally with the credentials the account is read with.

import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Partition } from '../../model/inventory.ts';

export const TOKEN_PREFIX = 'k8s-aws-v1.';
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** STS honours a presigned GetCallerIdentity for 15 minutes whatever X-Amz-Expires says; 60 is what the CLI sends. */
const PRESIGN_EXPIRES_SECONDS = 60;
/** Signed again a minute before STS would refuse it, as the authenticator does. */
const TOKEN_LIFETIME_MS = 14 * 60_000;

const DNS_SUFFIX: Record<Partition, string> = {
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
};

/** The regional STS host EKS expects in a token of a cluster in `region`. */
function stsHost(partition: Partition, region: string): string {
  return `sts.${region}.${DNS_SUFFIX[partition]}`;
}

export interface KubernetesToken {
  token: string;
  /** Epoch milliseconds after which the token is signed again. */
  renewAt: number;
}

export async function kubernetesToken(
  credentials: AwsCredentialIdentity,
  cluster: { name: string; region: string; partition: Partition },
  now: Date = new Date(),
): Promise<KubernetesToken> {
  const hostname = stsHost(cluster.partition, cluster.region);
  const signer = new SignatureV4({
    credentials,
    region: cluster.region,
    service: 'sts',
    sha256: Sha256,
  });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, [CLUSTER_ID_HEADER]: cluster.name },
    },
    { expiresIn: PRESIGN_EXPIRES_SECONDS, signingDate: now },
  );
  const query = Object.entries(presigned.query ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  const url = `https://${hostname}/?${query}`;
  return {
    token: TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url'),
    renewAt: now.getTime() + TOKEN_LIFETIME_MS,
  };
}
