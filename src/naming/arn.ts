import type { Partition } from '../model/inventory.ts';

export interface Arn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

/** Splits an ARN into its parts; the resource keeps any further colons. Returns undefined when it is not an ARN. */
export function parseArn(arn: string): Arn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', accountId = ''] = parts;
  return {
    // The constant for a known partition rather than a fresh copy per ARN: the facts keep hundreds of thousands.
    partition: isPartition(partition) ? PARTITIONS[partition] : partition,
    service,
    region,
    accountId,
    resource: parts.length === 6 ? (parts[5] ?? '') : parts.slice(5).join(':'),
  };
}

const PARTITIONS: Record<Partition, Partition> = {
  aws: 'aws',
  'aws-cn': 'aws-cn',
  'aws-us-gov': 'aws-us-gov',
};

export function isPartition(value: string): value is Partition {
  return value === 'aws' || value === 'aws-cn' || value === 'aws-us-gov';
}

/** The partition of a region name: what ARNs and issuer hosts of that region use. */
export function partitionOfRegion(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function oidcProviderArn(partition: Partition, accountId: string, providerUrl: string): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${providerUrl}`;
}
