import { paginateListRegions } from '@aws-sdk/client-account';
import type { AwsClients, Credentials } from '../clients/aws.ts';
import { type CallLanes, withLimit } from '../clients/limit.ts';
import type { Partition } from '../model/inventory.ts';

/**
 * Regions enabled for the account: `account:ListRegions` first (it sees opt-in status), `ec2:DescribeRegions`
 * when that is denied, since many read-only roles grant only the EC2 one.
 */
export async function enabledRegions(
  clients: AwsClients,
  partition: Partition,
  homeRegion: string,
  accountId: string,
  credentials: Credentials | undefined,
  calls: CallLanes,
): Promise<string[]> {
  try {
    const regions: string[] = [];
    const pages = paginateListRegions(
      { client: clients.account(partition, credentials), pageSize: 50 },
      { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] },
    );
    for await (const page of withLimit(pages, calls.lane(accountId, 'account'))) {
      for (const region of page.Regions ?? []) if (region.RegionName) regions.push(region.RegionName);
    }
    return regions.sort();
  } catch (accountError) {
    try {
      const [{ DescribeRegionsCommand }, client] = await Promise.all([
        import('@aws-sdk/client-ec2'),
        clients.ec2(homeRegion, credentials),
      ]);
      const response = await calls.lane(
        accountId,
        'ec2',
        homeRegion,
      )(() => client.send(new DescribeRegionsCommand({ AllRegions: false })));
      return (response.Regions ?? []).flatMap((r) => (r.RegionName ? [r.RegionName] : [])).sort();
    } catch {
      throw accountError;
    }
  }
}
