// The demo world with every feature that loads a chunk of its own wired in: no account may call
// account:ListRegions (the audit falls back to ec2:DescribeRegions), accepted risks in an SSM parameter and in an
// S3 object, a bucket for stored reports and one for the fan-out's parts. Shared by the suites that run the
// packed CLI (test/package-cli.test.ts) and the Lambda zip (test/package-zip.test.ts).
import { gunzipSync } from 'node:zlib';
import type { Report } from '../../../src/report/types.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { loadWorld, type WorldInput } from '../../sandbox/world.ts';
import { DEMO_WORLD } from './demo.ts';

export const SUPPRESSIONS_PARAMETER = '/eks-oidc-auditor/suppressions';
// In another region than the auditor's: S3 answers the first read with a redirect to it.
export const SUPPRESSIONS_OBJECT = 's3://security-config/eks-oidc-auditor/suppressions.yaml';
export const REPORT_BUCKET = 'eks-oidc-auditor-artefact-reports';
export const PARTS_BUCKET = 'eks-oidc-auditor-artefact-parts';
/** The one finding the accepted risks mute. */
export const MUTED_ROLE = 'arn:aws:iam::222222222222:role/irsa/orders-worker';

const MUTES = [
  'suppressions:',
  '  - reason: "orders workers share one role by design"',
  '    resource: "role/irsa/orders-worker"',
  '',
].join('\n');

export async function artefactWorld(): Promise<WorldInput> {
  const demo = await loadWorld(DEMO_WORLD);
  const [bucket = '', key = ''] = SUPPRESSIONS_OBJECT.replace('s3://', '').split(/\/(.*)/s);
  return {
    ...demo,
    faults: {
      ...demo.faults,
      accessDenied: demo.accounts.map((account) => ({
        account: account.id,
        service: 'account' as const,
        operations: ['ListRegions'],
      })),
    },
    ssmParameters: [
      { name: SUPPRESSIONS_PARAMETER, value: MUTES, type: 'SecureString', region: 'us-east-1' },
    ],
    s3Buckets: [
      { name: bucket, region: 'eu-west-1', objects: { [key]: MUTES } },
      { name: REPORT_BUCKET, region: 'us-east-1', objects: {} },
      { name: PARTS_BUCKET, region: 'us-east-1', objects: {} },
    ],
  };
}

/**
 * What a report says about the world, without when it was made: a run of the same audit an instant later reports
 * exactly this.
 */
export function withoutTimes(
  report: Report | undefined,
): Omit<Report, 'startedAt' | 'finishedAt'> | undefined {
  if (!report) return undefined;
  const { startedAt: _started, finishedAt: _finished, ...rest } = report;
  return rest;
}

/** What one run does to the sandbox: taken before the run, read after it. */
export interface RunEffects {
  /** Requests made of an operation (`'ec2'`, `'DescribeRegions'`) since the mark. */
  calls(service: string, operation: string): number;
  /** Keys written to the report bucket since the mark. */
  reports(): string[];
}

export function markEffects(sandbox: Sandbox): RunEffects {
  const calls = sandbox.log.byOperation();
  const keys = new Set(sandbox.s3.keys(REPORT_BUCKET));
  return {
    calls: (service, operation) =>
      sandbox.log.calls(service, operation) - (calls[`${service}:${operation}`] ?? 0),
    reports: () => sandbox.s3.keys(REPORT_BUCKET).filter((key) => !keys.has(key)),
  };
}

/** A JSON report the run stored in the report bucket (gzipped). */
export function storedReport(sandbox: Sandbox, key: string, bucket = REPORT_BUCKET): Report {
  const body = sandbox.s3.object(bucket, key)?.body ?? Buffer.alloc(0);
  return JSON.parse(gunzipSync(body).toString('utf8')) as Report;
}
