// The region names of the partitions the auditor supports, as the AWS SDK's own partition data lists them
// (test/config/regions.test.ts compares this list with the installed SDK's, so an SDK update that adds a region
// fails that test until the region is added here). An explicit --regions / AUDIT_REGIONS / event list is
// checked against it, so `us-east-99` stops the run instead of auditing nothing and passing; `all` needs no list,
// since it takes each account's enabled regions from AWS.

export const KNOWN_REGIONS: Readonly<Record<'aws' | 'aws-cn' | 'aws-us-gov', readonly string[]>> = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'me-west-1',
    'mx-central-1',
    'sa-east-1',
    'sa-west-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
};

const ALL = new Set(Object.values(KNOWN_REGIONS).flat());

export function isKnownRegion(region: string): boolean {
  return ALL.has(region);
}

/** Known regions that share the most leading characters with `region`: what was probably meant. */
export function closestRegions(region: string): string[] {
  const common = (a: string, b: string) => {
    let n = 0;
    while (n < a.length && a[n] === b[n]) n++;
    return n;
  };
  const scored = [...ALL].map((known) => [known, common(known, region)] as const);
  const best = Math.max(...scored.map(([, score]) => score));
  return scored
    .filter(([, score]) => score === best && score > 0)
    .map(([known]) => known)
    .slice(0, 3);
}
