// The known-region list is the AWS SDK's own partition data for the partitions the auditor supports: an SDK update
// that adds a region fails here until src/config/regions.ts lists it too.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { KNOWN_REGIONS } from '../../src/config/regions.ts';

interface PartitionsInfo {
  partitions: { id: string; regions: Record<string, unknown> }[];
}

it('lists exactly the regions of the aws, aws-cn and aws-us-gov partitions in the installed SDK', async () => {
  // Prepare: the SDK does not export its partition data, so read the file it ships
  const core = dirname(createRequire(import.meta.url).resolve('@aws-sdk/core/package.json'));
  const file = join(core, 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js');
  const { partitionsInfo } = (await import(pathToFileURL(file).href)) as { partitionsInfo: PartitionsInfo };

  // Act
  const sdk = Object.fromEntries(
    partitionsInfo.partitions
      .filter((p) => p.id in KNOWN_REGIONS)
      .map((p) => [
        p.id,
        Object.keys(p.regions)
          .filter((r) => !r.endsWith('-global'))
          .sort(),
      ]),
  );

  // Assess
  expect(sdk).toEqual(
    Object.fromEntries(Object.entries(KNOWN_REGIONS).map(([id, regions]) => [id, [...regions].sort()])),
  );
});
