// How many AWS calls a run has in flight, shaped like AWS's own limits (docs/performance.md): AWS throttles per
// account (and per region for regional services), not across accounts, so a run keeps many accounts in flight
// with a few calls each, under one overall bound on sockets and memory. Created by src/audit.ts.

import pLimit from 'p-limit';
import { TimeBudgetExceeded } from '../model/audit-error.ts';
import { createRegionBreaker, type Endpoint, type RegionBreaker } from './region-breaker.ts';

/** Runs one AWS call within its limits (applied at the leaf, so nested work cannot deadlock). */
export type CallLimiter = <T>(fn: () => Promise<T>) => Promise<T>;

/** The services the audit reads, each with its own lanes. */
export type LaneService = 'sts' | 'iam' | 'eks' | 'account' | 'ec2' | 'organizations' | 'kubernetes';

/**
 * Calls in flight per account and service (per account, service and region for EKS, EC2 and STS). A lane of n
 * calls at latency L sends n / L calls a second: IAM's 4 at 100 ms is 40 a second, at its assumed burst and
 * above its sustained 20 (the SDK's adaptive retry paces an account that goes over); an account's EKS reads in
 * a region are 5 calls for two clusters, so 4 finish them in two round trips. STS is the caller's
 * AssumeRole, one per account: its lane is as wide as the run. docs/performance.md has the figures.
 */
export const LANE_CONCURRENCY: Readonly<Record<LaneService, number>> = {
  sts: 256,
  iam: 4,
  eks: 4,
  account: 2,
  ec2: 2,
  organizations: 4,
  // A region's Kubernetes APIs (--kubernetes): a cluster's lists one after the other, over one kept-alive connection.
  kubernetes: 4,
};

export interface CallLanes {
  /** The limiter for one account's calls to one service (and region, for a regional service). */
  lane(accountId: string, service: LaneService, region?: string): CallLimiter;
}

interface Lane {
  active: number;
  waiting: (() => void)[];
}

/**
 * Lanes under one overall bound of `total` calls in flight. A call first takes a slot in its lane, then one of
 * the overall slots, so calls queued behind a busy account hold no socket. Once `signal` aborts (the time
 * budget), calls still waiting are not sent: they fail with TimeBudgetExceeded and their unit of work is named
 * as not reached, so an abort stops the run within one call's time. Once a service in a region has let calls
 * from several accounts time out in a row (`breaker`), calls to it fail at once with RegionUnresponsive, unsent,
 * whether they were made then or were waiting for a slot.
 */
const UNGUARDED: Endpoint = { refusal: () => undefined, answered: () => {}, failed: () => {} };

export function createCallLanes(
  total: number,
  signal?: AbortSignal,
  perLane: Readonly<Record<LaneService, number>> = LANE_CONCURRENCY,
  breaker: RegionBreaker = createRegionBreaker(),
): CallLanes {
  const overall = pLimit(total);
  // Lanes exist while they have calls: at 1,000 accounts × 17 regions most are idle at any time.
  const lanes = new Map<string, Lane>();

  const acquire = async (key: string, width: number): Promise<void> => {
    let lane = lanes.get(key);
    if (!lane) {
      lane = { active: 0, waiting: [] };
      lanes.set(key, lane);
    }
    if (lane.active < width) {
      lane.active++;
      return;
    }
    const queued = lane;
    await new Promise<void>((resolve) => queued.waiting.push(resolve));
  };
  const release = (key: string): void => {
    const lane = lanes.get(key);
    if (!lane) return;
    const next = lane.waiting.shift();
    if (next)
      next(); // the slot passes to the next call as is
    else if (--lane.active === 0) lanes.delete(key);
  };

  return {
    lane(accountId, service, region) {
      const key = region === undefined ? `${accountId}|${service}` : `${accountId}|${service}|${region}`;
      const width = perLane[service];
      // Each cluster's Kubernetes API is an endpoint of its own, not the region's: one private cluster that drops
      // connections says nothing of the others, so those calls are left out of the breaker.
      const endpoint = service === 'kubernetes' ? UNGUARDED : breaker.endpoint(service, region);
      const send = <T>(fn: () => Promise<T>): Promise<T> => {
        if (signal?.aborted) return Promise.reject(new TimeBudgetExceeded());
        const refused = endpoint.refusal();
        if (refused) return Promise.reject(refused);
        return fn().then(
          (result) => {
            endpoint.answered();
            return result;
          },
          (error: unknown) => {
            endpoint.failed(accountId, error);
            throw error;
          },
        );
      };
      return async (fn) => {
        // Refused before it queues for its lane: an endpoint the run no longer calls costs no wait.
        const refused = endpoint.refusal();
        if (refused) throw refused;
        await acquire(key, width);
        try {
          return await overall(() => send(fn));
        } finally {
          release(key);
        }
      };
    },
  };
}

/** Runs each page request of a paginator through a limiter. */
export async function* withLimit<T>(pages: AsyncIterable<T>, call: CallLimiter): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  while (true) {
    const next = await call(() => iterator.next());
    if (next.done) return;
    yield next.value;
  }
}
