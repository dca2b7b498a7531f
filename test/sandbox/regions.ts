// The region catalogue the sandbox pretends each partition has: the product's own list (src/config/regions.ts, which
// a test keeps equal to the SDK's), so the two cannot drift. Regions "enabled by default" cannot be disabled in real
// AWS; every other region is opt-in, off until an account enables it, and calls there are rejected.

import { KNOWN_REGIONS } from '../../src/config/regions.ts';

export type Partition = keyof typeof KNOWN_REGIONS;

export const PARTITIONS: readonly Partition[] = ['aws', 'aws-cn', 'aws-us-gov'];

const DEFAULT_REGIONS: Record<Partition, readonly string[]> = {
  aws: [
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-southeast-1',
    'ap-southeast-2',
    'ca-central-1',
    'eu-central-1',
    'eu-north-1',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'sa-east-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
};

function optInRegions(partition: Partition): readonly string[] {
  return KNOWN_REGIONS[partition].filter((region) => !DEFAULT_REGIONS[partition].includes(region));
}

/** Regions every account of the partition has unless the world says otherwise. */
export function defaultRegions(partition: Partition): readonly string[] {
  return DEFAULT_REGIONS[partition];
}

/** Every region of the partition, default ones first, each list sorted. */
export function allRegions(partition: Partition): readonly string[] {
  return [...DEFAULT_REGIONS[partition], ...optInRegions(partition)];
}

export function isOptInRegion(partition: Partition, region: string): boolean {
  return optInRegions(partition).includes(region);
}

export function isKnownRegion(partition: Partition, region: string): boolean {
  return KNOWN_REGIONS[partition].includes(region);
}

export function dnsSuffix(partition: Partition): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** The region the partition's global services (IAM, Organizations, Account) are signed for. */
export function globalRegion(partition: Partition): string {
  return partition === 'aws-cn' ? 'cn-north-1' : partition === 'aws-us-gov' ? 'us-gov-west-1' : 'us-east-1';
}

/** The host EKS serves a region's cluster issuers from (docs/irsa.md). */
export function issuerHost(partition: Partition, region: string): string {
  return `oidc.eks.${region}.${dnsSuffix(partition)}`;
}
