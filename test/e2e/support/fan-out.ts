// The fan-out's buckets and environment, for the tests that run its steps as processes against the sandbox: as
// the state machine runs them (test/e2e/fan-out-lambda.test.ts) and each as its own role
// (test/deploy/fan-out-trust.test.ts).
import { lambdaEnvironment } from '../../../scripts/sandbox-processes.ts';
import type { Report } from '../../../src/report/types.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import type { World, WorldInput } from '../../sandbox/world.ts';
import { storedReport } from './artefact-world.ts';

export const PARTS = 'eks-oidc-auditor-e2e-parts';
export const REPORTS = 'eks-oidc-auditor-e2e-reports';
/** The event the schedule sends. */
export const FAN_OUT_EVENT = { trigger: 'manual' };

/** The parts bucket and the report bucket, empty. */
export function fanOutBuckets(): WorldInput['s3Buckets'] {
  return [
    { name: PARTS, region: 'us-east-1', objects: {} },
    { name: REPORTS, region: 'us-east-1', objects: {} },
  ];
}

/** A fan-out step's environment over `world`: the audit's, the two buckets, shards of two accounts, few logs. */
export function fanOutEnvironment(world: World): Record<string, string> {
  return {
    ...lambdaEnvironment(world),
    PARTS_BUCKET: PARTS,
    REPORT_BUCKET: REPORTS,
    AUDIT_SHARD_SIZE: '2',
    POWERTOOLS_LOG_LEVEL: 'WARN',
  };
}

/** The JSON report the merge stored in the report bucket. */
export function mergedReport(sandbox: Sandbox): Report {
  const key = sandbox.s3.keys(REPORTS).find((k) => k.endsWith('report.json.gz')) ?? '';
  return storedReport(sandbox, key, REPORTS);
}
