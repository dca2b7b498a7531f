// Fault injection. Draws come from one seeded generator, so a sequential test sees the same throttles on
// every run; under concurrency the order varies but the rate holds.

import { AWS_RATE_LIMITS, RateLimiter } from './rate-limits.ts';
import { regionRttMs } from './region-latency.ts';
import type { ServiceName, WorldFaults } from './world.ts';

type PerService = number | Partial<Record<ServiceName, number>>;

function forService(value: PerService, service: ServiceName): number {
  return typeof value === 'number' ? value : (value[service] ?? 0);
}

/** mulberry32: tiny, fast and good enough for fault draws. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultSettings {
  latencyMs: PerService;
  throttleRate: PerService;
  errorRate5xx: PerService;
  accessDenied: { account: string; service: ServiceName; operations?: string[] | undefined }[];
  hangingEndpoints: { service: ServiceName; region: string }[];
}

/** A failure the service answers in its own words (its code and status for it), or any error by code. */
export type InjectedFailure =
  | 'unavailable'
  | 'throttle'
  | 'accessDenied'
  | { code: string; status: number; message?: string };

/** A call as IAM names the action: `eks:ListClusters`. */
export type CallName = `${ServiceName}:${string}`;

/** Which calls of the operation a fault applies to: every one unless an account or region is named. */
export interface CallFilter {
  account?: string;
  region?: string;
}

export interface FailureRule extends CallFilter {
  /** Default `unavailable` (the service's 5xx). */
  error?: InjectedFailure;
  /** How many calls fail (default 1); `Infinity`: every one from now on. */
  times?: number;
  /** Calls that pass before the failing ones start (default 0). */
  after?: number;
}

interface ActiveRule {
  service: ServiceName;
  operation: string;
  filter: CallFilter;
  error: InjectedFailure;
  left: number;
  pass: number;
}

interface Hold {
  service: ServiceName;
  operation: string;
  filter: CallFilter;
  released: Promise<void>;
  release(): void;
}

function splitCall(call: CallName): [ServiceName, string] {
  const at = call.indexOf(':');
  if (at <= 0 || at === call.length - 1)
    throw new Error(`fault ${JSON.stringify(call)}: expected service:Operation, like eks:ListClusters`);
  return [call.slice(0, at) as ServiceName, call.slice(at + 1)];
}

function matches(
  rule: { service: ServiceName; operation: string; filter: CallFilter },
  service: ServiceName,
  operation: string,
  account: string | undefined,
  region: string | undefined,
): boolean {
  return (
    rule.service === service &&
    rule.operation === operation &&
    (rule.filter.account === undefined || rule.filter.account === account) &&
    (rule.filter.region === undefined || rule.filter.region === region)
  );
}

export class FaultInjector {
  private settings: FaultSettings;
  private random: () => number;
  private denied = new Set<string>();
  private failing: ActiveRule[] = [];
  private holds: Hold[] = [];
  private readonly rates: RateLimiter | undefined;
  private readonly latencyFrom: string | undefined;

  constructor(faults: WorldFaults) {
    this.settings = {
      latencyMs: faults.latencyMs,
      throttleRate: faults.throttleRate,
      errorRate5xx: faults.errorRate5xx,
      accessDenied: faults.accessDenied,
      hangingEndpoints: faults.hangingEndpoints,
    };
    this.random = rng(faults.seed);
    this.rates =
      faults.rateLimits === undefined
        ? undefined
        : new RateLimiter(faults.rateLimits === 'aws' ? AWS_RATE_LIMITS : faults.rateLimits);
    this.latencyFrom = faults.latencyFrom;
    this.indexDenied();
    for (const rule of faults.failFirst)
      this.failNext(`${rule.service}:${rule.operation}`, {
        times: rule.count,
        error: rule.error,
        after: rule.after,
      });
  }

  /**
   * The next calls of `call` (of one account or region, if the rule names it) fail with the rule's error, `times`
   * of them after `after` have passed; later calls pass. Rules on the same call apply in the order they were made.
   */
  failNext(call: CallName, rule: FailureRule = {}): void {
    const [service, operation] = splitCall(call);
    const times = rule.times ?? 1;
    if (!(times >= 1)) throw new Error(`fault ${call}: times: expected at least 1, got ${times}`);
    this.failing.push({
      service,
      operation,
      filter: { account: rule.account, region: rule.region },
      error: rule.error ?? 'unavailable',
      left: times,
      pass: rule.after ?? 0,
    });
  }

  /** The failure to inject into this call, counting it; undefined when the call should pass. */
  takeFailure(
    service: ServiceName,
    operation: string,
    account: string,
    region: string | undefined,
  ): InjectedFailure | undefined {
    if (this.failing.length === 0) return undefined;
    const rule = this.failing.find((r) => matches(r, service, operation, account, region));
    if (!rule) return undefined;
    if (rule.pass > 0) {
      rule.pass--;
      return undefined;
    }
    if (--rule.left <= 0) this.failing = this.failing.filter((r) => r !== rule);
    return rule.error;
  }

  /**
   * Holds back the answers to `call` (of one account or region, if named) until the returned function is called:
   * an endpoint that is slow for as long as a test needs, then answers. The answer is decided when the call
   * arrives; only its sending waits.
   */
  hold(call: CallName, filter: CallFilter = {}): () => void {
    const [service, operation] = splitCall(call);
    const { promise: released, resolve } = Promise.withResolvers<void>();
    const hold: Hold = {
      service,
      operation,
      filter,
      released,
      release: () => {
        this.holds = this.holds.filter((h) => h !== hold);
        resolve();
      },
    };
    this.holds.push(hold);
    return hold.release;
  }

  /** When a held call may be answered; undefined when it is not held. */
  heldUntil(
    service: ServiceName,
    operation: string,
    account: string | undefined,
    region: string | undefined,
  ): Promise<void> | undefined {
    if (this.holds.length === 0) return undefined;
    return this.holds.find((h) => matches(h, service, operation, account, region))?.released;
  }

  /** Lets every held call be answered (the sandbox is stopping). */
  releaseAll(): void {
    for (const hold of [...this.holds]) hold.release();
  }

  /** Changes faults while the sandbox runs (e.g. throttle only the second half of a test). */
  update(changes: Partial<FaultSettings> & { seed?: number }): void {
    const { seed, ...rest } = changes;
    this.settings = { ...this.settings, ...rest };
    if (seed !== undefined) this.random = rng(seed);
    this.indexDenied();
  }

  get current(): Readonly<FaultSettings> {
    return this.settings;
  }

  /** The fixed latency of the service, plus the round trip to the call's region when `latencyFrom` is set. */
  latency(service: ServiceName, region?: string): number {
    const fixed = forService(this.settings.latencyMs, service);
    return this.latencyFrom && region ? fixed + regionRttMs(this.latencyFrom, region) : fixed;
  }

  /** Whether the call is over its account's request rate (the rate model), spending a token when it is not. */
  overRate(service: ServiceName, account: string, region: string | undefined): boolean {
    return this.rates !== undefined && !this.rates.take(service, account, region);
  }

  isDenied(account: string, service: ServiceName, operation: string): boolean {
    if (this.denied.size === 0) return false;
    return (
      this.denied.has(`${account}|${service}|*`) || this.denied.has(`${account}|${service}|${operation}`)
    );
  }

  /** Whether the endpoint of `service` in `region` takes requests and never answers them. */
  hangs(service: ServiceName, region: string): boolean {
    return this.settings.hangingEndpoints.some((rule) => rule.service === service && rule.region === region);
  }

  throttles(service: ServiceName): boolean {
    const rate = forService(this.settings.throttleRate, service);
    return rate > 0 && this.random() < rate;
  }

  fails5xx(service: ServiceName): boolean {
    const rate = forService(this.settings.errorRate5xx, service);
    return rate > 0 && this.random() < rate;
  }

  private indexDenied(): void {
    this.denied = new Set(
      this.settings.accessDenied.flatMap((rule) =>
        (rule.operations ?? ['*']).map((op) => `${rule.account}|${rule.service}|${op}`),
      ),
    );
  }
}
