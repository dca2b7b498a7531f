// The call lanes' breaker for a service that does not answer in one region, fed with the errors the SDK really
// raises: a request time-out from an endpoint that takes requests and never answers, and the sandbox's answers
// (throttling, a 5xx, access denied).
import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallLanes, LANE_CONCURRENCY, type LaneService } from '../../src/clients/limit.ts';
import { timedOut, UNRESPONSIVE_AFTER_ACCOUNTS } from '../../src/clients/region-breaker.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { account, CALLER_ID, callerAccount, MEMBER_ID, world } from '../sandbox/world-builders.ts';

const HUNG = 'eu-west-1';
const HEALTHY = 'us-east-1';
const ACCOUNT_IDS = ['100000000001', '100000000002', '100000000003', '100000000004', '100000000005'];

interface RealErrors {
  timeout: unknown;
  throttling: unknown;
  serverError: unknown;
  accessDenied: unknown;
}

/** One ListClusters call as the audit's clients make it, its error kept. */
async function listClustersError(sandbox: Sandbox, accountId: string, region: string): Promise<unknown> {
  const client = new EKSClient({
    ...sandbox.clientConfig(accountId, region),
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ requestTimeout: 300, throwOnRequestTimeout: true }),
  });
  try {
    return await client.send(new ListClustersCommand({})).then(
      () => {
        throw new Error(`ListClusters in ${accountId}/${region} answered`);
      },
      (error: unknown) => error,
    );
  } finally {
    client.destroy();
  }
}

async function realErrors(sandbox: Sandbox): Promise<RealErrors> {
  const timeout = await listClustersError(sandbox, CALLER_ID, HUNG);
  sandbox.faults.failNext('eks:ListClusters', { error: 'throttle' });
  const throttling = await listClustersError(sandbox, CALLER_ID, HEALTHY);
  sandbox.faults.failNext('eks:ListClusters', { error: 'unavailable' });
  const serverError = await listClustersError(sandbox, CALLER_ID, HEALTHY);
  const accessDenied = await listClustersError(sandbox, MEMBER_ID, HEALTHY);
  return { timeout, throttling, serverError, accessDenied };
}

/** A call that counts how often it was sent and ends as told. */
function endpointCall() {
  let sent = 0;
  return {
    failingWith: (error: unknown) => () => {
      sent++;
      return Promise.reject(error);
    },
    answering: () => () => {
      sent++;
      return Promise.resolve('answered');
    },
    get sent() {
      return sent;
    },
  };
}

type Lanes = ReturnType<typeof createCallLanes>;

/** Calls from the given accounts to one service and region, one after the other, each ending with `error`. */
async function failEach(
  lanes: Lanes,
  accountIds: readonly string[],
  error: unknown,
  where: [LaneService, string?] = ['eks', HUNG],
) {
  for (const accountId of accountIds) {
    await lanes
      .lane(
        accountId,
        ...where,
      )(endpointCall().failingWith(error))
      .catch(() => undefined);
  }
}

describe('the breaker for a service that does not answer in a region', () => {
  let sandbox: Sandbox;
  let errors: RealErrors;

  beforeAll(async () => {
    sandbox = await startSandbox(
      world([callerAccount({ regions: [HEALTHY, HUNG] }), account(MEMBER_ID, { regions: [HEALTHY] })], {
        faults: {
          hangingEndpoints: [{ service: 'eks', region: HUNG }],
          accessDenied: [{ account: MEMBER_ID, service: 'eks' }],
        },
      }),
      { issuers: false },
    );
    errors = await realErrors(sandbox);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('tells a time-out from the answers of a service that is there', () => {
    // Assess
    expect(timedOut(errors.timeout)).toBe(true);
    expect(timedOut(errors.throttling)).toBe(false);
    expect(timedOut(errors.serverError)).toBe(false);
    expect(timedOut(errors.accessDenied)).toBe(false);
  });

  it(`opens once calls from ${UNRESPONSIVE_AFTER_ACCOUNTS} accounts have timed out in a row: every account's later calls fail at once, unsent`, async () => {
    // Prepare
    const lanes = createCallLanes(64);
    await failEach(lanes, ACCOUNT_IDS.slice(0, UNRESPONSIVE_AFTER_ACCOUNTS), errors.timeout);
    const later = endpointCall();

    // Act
    const refused = await lanes
      .lane(
        ACCOUNT_IDS[4] ?? '',
        'eks',
        HUNG,
      )(later.answering())
      .catch((error: unknown) => error);

    // Assess
    expect(later.sent).toBe(0);
    expect(refused).toMatchObject({ name: 'RegionUnresponsive', code: 'RegionUnresponsive' });
    expect((refused as Error).message).toBe(
      `eks in ${HUNG} did not answer 3 calls in a row, from 3 accounts; not called again this run`,
    );
  });

  it("leaves each cluster's Kubernetes API out: clusters that time out in a region close nothing to the others", async () => {
    // Prepare: as many time-outs as open the breaker, from as many accounts, on the region's Kubernetes lane
    const lanes = createCallLanes(64);
    await failEach(lanes, ACCOUNT_IDS.slice(0, UNRESPONSIVE_AFTER_ACCOUNTS), errors.timeout, [
      'kubernetes',
      HUNG,
    ]);
    const later = endpointCall();

    // Act
    await lanes.lane(ACCOUNT_IDS[4] ?? '', 'kubernetes', HUNG)(later.answering());

    // Assess
    expect(later.sent).toBe(1);
  });

  it('names the calls and accounts it opened on in every refusal, whatever times out after', async () => {
    // Prepare: a call in flight when the breaker opens times out after
    const lanes = createCallLanes(64);
    let endStraggler: (error: unknown) => void = () => {};
    const straggler = lanes
      .lane(
        ACCOUNT_IDS[3] ?? '',
        'eks',
        HUNG,
      )(() => new Promise((_resolve, reject) => (endStraggler = reject)))
      .catch(() => undefined);
    await failEach(lanes, ACCOUNT_IDS.slice(0, UNRESPONSIVE_AFTER_ACCOUNTS), errors.timeout);
    endStraggler(errors.timeout);
    await straggler;

    // Act
    const refused = await lanes
      .lane(
        ACCOUNT_IDS[4] ?? '',
        'eks',
        HUNG,
      )(endpointCall().answering())
      .catch((error: unknown) => error);

    // Assess
    expect(refused).toMatchObject({
      calls: UNRESPONSIVE_AFTER_ACCOUNTS,
      accounts: UNRESPONSIVE_AFTER_ACCOUNTS,
    });
  });

  it('closes again when a call in flight when it opened gets an answer', async () => {
    // Prepare
    const lanes = createCallLanes(64);
    let answerStraggler: (value: string) => void = () => {};
    const straggler = lanes.lane(
      ACCOUNT_IDS[3] ?? '',
      'eks',
      HUNG,
    )(() => new Promise<string>((resolve) => (answerStraggler = resolve)));
    await failEach(lanes, ACCOUNT_IDS.slice(0, UNRESPONSIVE_AFTER_ACCOUNTS), errors.timeout);
    const lane = lanes.lane(ACCOUNT_IDS[4] ?? '', 'eks', HUNG);
    const whileOpen = await lane(endpointCall().answering()).catch((error: unknown) => error);
    answerStraggler('late answer');
    await straggler;
    const later = endpointCall();

    // Act
    const result = await lane(later.answering());

    // Assess
    expect(whileOpen).toMatchObject({ name: 'RegionUnresponsive' });
    expect(result).toBe('answered');
    expect(later.sent).toBe(1);
  });

  it('stays closed while the time-outs come from fewer accounts', async () => {
    // Prepare: one account (its own network path, say) times out again and again
    const lanes = createCallLanes(64);
    await failEach(lanes, Array(UNRESPONSIVE_AFTER_ACCOUNTS * 2).fill(ACCOUNT_IDS[0]), errors.timeout);
    await failEach(lanes, ACCOUNT_IDS.slice(1, UNRESPONSIVE_AFTER_ACCOUNTS - 1), errors.timeout);
    const later = endpointCall();

    // Act
    const result = await lanes.lane(ACCOUNT_IDS[4] ?? '', 'eks', HUNG)(later.answering());

    // Assess
    expect(result).toBe('answered');
    expect(later.sent).toBe(1);
  });

  it.each([
    ['throttling', (e: RealErrors) => e.throttling],
    ['a 5xx', (e: RealErrors) => e.serverError],
    ['access denied', (e: RealErrors) => e.accessDenied],
    ['a success', () => undefined],
  ])('stays closed when %s comes between the time-outs', async (_name, answer) => {
    // Prepare: time-outs from every account but one answer in between
    const lanes = createCallLanes(64);
    const half = UNRESPONSIVE_AFTER_ACCOUNTS - 1;
    await failEach(lanes, ACCOUNT_IDS.slice(0, half), errors.timeout);
    const between = endpointCall();
    const error = answer(errors);
    const lane = lanes.lane(ACCOUNT_IDS[4] ?? '', 'eks', HUNG);
    await lane(error === undefined ? between.answering() : between.failingWith(error)).catch(() => undefined);
    await failEach(lanes, ACCOUNT_IDS.slice(half, 2 * half), errors.timeout);
    const later = endpointCall();

    // Act
    const result = await lane(later.answering());

    // Assess: 2 × (threshold - 1) accounts timed out, but never the threshold in a row
    expect(result).toBe('answered');
    expect(later.sent).toBe(1);
  });

  it('leaves other regions and other services called', async () => {
    // Prepare
    const lanes = createCallLanes(64);
    await failEach(lanes, ACCOUNT_IDS, errors.timeout);
    const other = endpointCall();

    // Act
    const results = await Promise.all([
      lanes.lane(ACCOUNT_IDS[0] ?? '', 'eks', HEALTHY)(other.answering()),
      lanes.lane(ACCOUNT_IDS[0] ?? '', 'ec2', HUNG)(other.answering()),
      lanes.lane(ACCOUNT_IDS[0] ?? '', 'iam')(other.answering()),
    ]);

    // Assess
    expect(results).toEqual(['answered', 'answered', 'answered']);
    expect(other.sent).toBe(3);
  });

  it('fails the calls waiting for a place in their lane when it opens, unsent', async () => {
    // Prepare: a lane of one call; an account's second call waits behind its first
    const lanes = createCallLanes(64, undefined, { ...LANE_CONCURRENCY, eks: 1 });
    const lane = lanes.lane(ACCOUNT_IDS[4] ?? '', 'eks', HUNG);
    let endFirst: (error: unknown) => void = () => {};
    const first = lane(() => new Promise((_resolve, reject) => (endFirst = reject))).catch(() => undefined);
    const waiting = endpointCall();
    const second = lane(waiting.answering()).catch((error: unknown) => error);

    // Act: the region times out for other accounts, then for the first call
    await failEach(lanes, ACCOUNT_IDS.slice(0, UNRESPONSIVE_AFTER_ACCOUNTS - 1), errors.timeout);
    endFirst(errors.timeout);
    await first;

    // Assess
    expect(await second).toMatchObject({ name: 'RegionUnresponsive' });
    expect(waiting.sent).toBe(0);
  });

  it('is the run’s own: another run sends to the region again', async () => {
    // Prepare
    await failEach(createCallLanes(64), ACCOUNT_IDS, errors.timeout);
    const next = endpointCall();

    // Act
    const result = await createCallLanes(64).lane(ACCOUNT_IDS[0] ?? '', 'eks', HUNG)(next.answering());

    // Assess
    expect(result).toBe('answered');
  });
});
