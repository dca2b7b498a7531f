import { describe, expect, it } from 'vitest';
import { createCallLanes, LANE_CONCURRENCY } from '../../src/clients/limit.ts';

/** A call that stays in flight until released, recording how many were in flight with it. */
function gate() {
  let inFlight = 0;
  let maxInFlight = 0;
  const started: string[] = [];
  const waiting: (() => void)[] = [];
  return {
    call: (label: string) => () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      started.push(label);
      return new Promise<string>((resolve) =>
        waiting.push(() => {
          inFlight--;
          resolve(label);
        }),
      );
    },
    releaseAll: async () => {
      while (waiting.length > 0) {
        for (const release of waiting.splice(0)) release();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    get started() {
      return started;
    },
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const WIDTHS = { ...LANE_CONCURRENCY, iam: 2, eks: 1 };

describe('call lanes', () => {
  it('lets one account have no more calls in flight per service than its lane allows', async () => {
    // Prepare
    const calls = createCallLanes(64, undefined, WIDTHS);
    const iam = gate();
    const lane = calls.lane('111111111111', 'iam');

    // Act
    const done = Promise.all([1, 2, 3, 4, 5].map((n) => lane(iam.call(`iam ${n}`))));
    await settle();
    const startedAtOnce = iam.started.length;
    await iam.releaseAll();
    await done;

    // Assess
    expect(startedAtOnce).toBe(2);
    expect(iam.maxInFlight).toBe(2);
    expect(iam.started).toHaveLength(5);
  });

  it('runs other accounts, and other regions of the same account, alongside a busy lane', async () => {
    // Prepare
    const calls = createCallLanes(64, undefined, WIDTHS);
    const work = gate();

    // Act
    const done = Promise.all([
      calls.lane('111111111111', 'eks', 'us-east-1')(work.call('a us-east-1 first')),
      calls.lane('111111111111', 'eks', 'us-east-1')(work.call('a us-east-1 second')),
      calls.lane('111111111111', 'eks', 'eu-west-1')(work.call('a eu-west-1')),
      calls.lane('222222222222', 'eks', 'us-east-1')(work.call('b us-east-1')),
    ]);
    await settle();
    const startedAtOnce = [...work.started];
    await work.releaseAll();
    await done;

    // Assess
    expect(startedAtOnce).toEqual(['a us-east-1 first', 'a eu-west-1', 'b us-east-1']);
  });

  it('holds every lane under the overall bound, and calls queued in a lane take no overall slot', async () => {
    // Prepare: two overall slots; account a queues three EKS calls in a lane of one
    const calls = createCallLanes(2, undefined, WIDTHS);
    const work = gate();

    // Act
    const done = Promise.all([
      ...[1, 2, 3].map((n) => calls.lane('111111111111', 'eks', 'us-east-1')(work.call(`a ${n}`))),
      calls.lane('222222222222', 'iam')(work.call('b 1')),
      calls.lane('333333333333', 'iam')(work.call('c 1')),
    ]);
    await settle();
    const startedAtOnce = [...work.started];
    await work.releaseAll();
    await done;

    // Assess: a's queued calls did not keep b out; c waited for an overall slot
    expect(startedAtOnce).toEqual(['a 1', 'b 1']);
    expect(work.maxInFlight).toBe(2);
    expect(work.started).toHaveLength(5);
  });

  it('sends no waiting call once the time budget is spent: they fail as not reached', async () => {
    // Prepare
    const budget = new AbortController();
    const calls = createCallLanes(1, budget.signal, WIDTHS);
    const work = gate();
    const lane = calls.lane('111111111111', 'iam');
    const first = lane(work.call('in flight'));
    const waiting = lane(work.call('waiting')).catch((error: unknown) => error);
    await settle();

    // Act
    budget.abort();
    await work.releaseAll();

    // Assess
    await expect(first).resolves.toBe('in flight');
    expect(await waiting).toMatchObject({ name: 'TimeBudgetExceeded' });
    expect(work.started).toEqual(['in flight']);
  });

  it("passes a failing call's error through and frees its slot", async () => {
    // Prepare
    const calls = createCallLanes(1, undefined, WIDTHS);
    const lane = calls.lane('111111111111', 'eks', 'us-east-1');

    // Act
    const failed = await lane(() => Promise.reject(new Error('ThrottlingException'))).catch((e: Error) => e);
    const next = await lane(() => Promise.resolve('after'));

    // Assess
    expect(failed.message).toBe('ThrottlingException');
    expect(next).toBe('after');
  });
});
