// A service that stops answering in one region (a regional outage) is hung for every account of the organization.
// Each call to it holds one of the run's slots, and its account its place among the accounts in flight, until
// the call times out: with the region hung in more accounts than are in flight, the later accounts start only as
// hung calls end, and under a time budget they are never started. Once calls from several accounts have timed out
// there in a row, the run stops sending calls to that service in that region: they fail at once, their accounts'
// region is named as not read, and the accounts move on. docs/performance.md ("One region that does not answer").

import { RegionUnresponsive } from '../model/audit-error.ts';

/**
 * Accounts whose calls to one service in one region must have timed out, with no answer from it in between,
 * before it is called no more. More than one, so that what fails for one account alone (AWS serves accounts from
 * cells, and an outage can hit a few; a path to AWS set for one account) does not cost the other accounts that
 * region; three, so that two such accounts do not either.
 */
export const UNRESPONSIVE_AFTER_ACCOUNTS = 3;

/** One service in one region (or a global service), as the calls of every account see it. */
export interface Endpoint {
  /** The error that fails a call at once, unsent; undefined while the endpoint is still called. */
  refusal(): RegionUnresponsive | undefined;
  /** A call that got an answer: the endpoint is not hung. */
  answered(): void;
  /** A call that failed: a time-out counts toward the breaker, an error the service answered with closes it. */
  failed(accountId: string, error: unknown): void;
}

export interface RegionBreaker {
  endpoint(service: string, region: string | undefined): Endpoint;
}

interface Circuit {
  calls: number;
  accounts: Set<string>;
  /** Set when it opens: every refusal of the run then names the same calls and accounts. */
  opened?: RegionUnresponsive;
}

/**
 * The run's breaker: open for a service in a region while the calls to it that ended last, from at least
 * `threshold` accounts, all timed out. Any answer closes it again, an error answer included (throttling, access
 * denied, a 5xx: a service that answers is not hung); failures that say nothing of the endpoint (the time
 * budget's aborts, a connection refused or reset) leave it as it is. There is no timed trial call once it is
 * open: docs/performance.md says why.
 */
export function createRegionBreaker(threshold = UNRESPONSIVE_AFTER_ACCOUNTS): RegionBreaker {
  // Only endpoints with a time-out since their last answer have a circuit: on the normal path the map is empty.
  const circuits = new Map<string, Circuit>();
  return {
    endpoint(service, region) {
      const key = region === undefined ? service : `${service}|${region}`;
      const where = region === undefined ? service : `${service} in ${region}`;
      const answered = () => {
        if (circuits.size > 0) circuits.delete(key);
      };
      return {
        refusal() {
          const opened = circuits.get(key)?.opened;
          // A new error for each call: a unit of work may add its own context to the message.
          return opened && new RegionUnresponsive(where, opened.calls, opened.accounts);
        },
        answered,
        failed(accountId, error) {
          if (answeredWithError(error)) {
            answered();
            return;
          }
          if (!timedOut(error)) return;
          let circuit = circuits.get(key);
          if (circuit === undefined) {
            circuit = { calls: 0, accounts: new Set() };
            circuits.set(key, circuit);
          }
          circuit.calls++;
          circuit.accounts.add(accountId);
          if (!circuit.opened && circuit.accounts.size >= threshold) {
            circuit.opened = new RegionUnresponsive(where, circuit.calls, circuit.accounts.size);
          }
        },
      };
    },
  };
}

interface SdkFailure {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

// The SDK's Node handler names these TimeoutError too, but the other side closed or refused the connection: it
// was there to do so, and a hung endpoint is not.
const CLOSED_BY_PEER = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED']);

/**
 * The call got no answer in time: the SDK's request, socket or connection time-out (TimeoutError), after its
 * retries. A service's own time-out answer (S3's RequestTimeout, a 408) has a status code and is an answer.
 */
export function timedOut(error: unknown): boolean {
  const failure = error as SdkFailure | null | undefined;
  return (
    failure?.name === 'TimeoutError' &&
    failure.$metadata?.httpStatusCode === undefined &&
    !CLOSED_BY_PEER.has(failure.code as string)
  );
}

function answeredWithError(error: unknown): boolean {
  return typeof (error as SdkFailure | null | undefined)?.$metadata?.httpStatusCode === 'number';
}
