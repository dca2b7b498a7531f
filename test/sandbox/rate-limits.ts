// The sandbox's model of AWS request-rate throttling: one token bucket per account and service (per account,
// service and region for regional services), refilled continuously; a call that finds its bucket empty is
// answered with the service's own throttling error, as AWS does. Rates are the one place the model's numbers
// live; docs/performance.md explains them and where they come from.

import type { ServiceName } from './world.ts';

export interface RateLimit {
  /** Sustained requests per second. */
  perSecond: number;
  /** Requests a full bucket allows at once. */
  burst: number;
  /** Whether calls in different regions of one account share the bucket (global services) or not. */
  scope: 'account' | 'account-region';
}

/**
 * AWS's documented rates where it publishes them, an assumption where it does not (see docs/performance.md):
 * - account: ListRegions, 5 per second, burst 5, per account (Account Management quotas, documented).
 * - sts: assumed 600 per second per account and region (STS throttles per account and region; one AssumeRole
 *   per account is far below any published figure).
 * - iam: not published per operation; assumed 20 per second, burst 40, per account (IAM is global).
 * - eks: not published; assumed 10 per second, burst 20, per account and region.
 * - organizations: not published per operation; assumed 10 per second, burst 20, for the management account.
 * - ec2: DescribeRegions is a non-mutating action, bucket 100 refilled at 20 per second (EC2 API throttling,
 *   documented), per account and region.
 * The publish side (CloudWatch, SNS, DynamoDB, SSM, Security Hub) is called a handful of times a run and is
 * not modelled.
 */
export const AWS_RATE_LIMITS: Readonly<Partial<Record<ServiceName, RateLimit>>> = {
  account: { perSecond: 5, burst: 5, scope: 'account' },
  sts: { perSecond: 600, burst: 600, scope: 'account-region' },
  iam: { perSecond: 20, burst: 40, scope: 'account' },
  eks: { perSecond: 10, burst: 20, scope: 'account-region' },
  organizations: { perSecond: 10, burst: 20, scope: 'account' },
  ec2: { perSecond: 20, burst: 100, scope: 'account-region' },
};

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets for the rates given; `take` says whether a call passes, spending a token when it does. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly limits: Readonly<Partial<Record<ServiceName, RateLimit>>>;
  private readonly now: () => number;

  constructor(
    limits: Readonly<Partial<Record<ServiceName, RateLimit>>>,
    now: () => number = performance.now.bind(performance),
  ) {
    this.limits = limits;
    this.now = now;
  }

  take(service: ServiceName, account: string, region: string | undefined): boolean {
    const limit = this.limits[service];
    if (!limit) return true;
    const key = limit.scope === 'account' ? `${service}|${account}` : `${service}|${account}|${region ?? ''}`;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: limit.burst, at: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
      bucket.at = now;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
