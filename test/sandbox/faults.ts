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

export type InjectedFailure = 'unavailable' | 'throttle';

export class FaultInjector {
  private settings: FaultSettings;
  private random: () => number;
  private denied = new Set<string>();
  private readonly failing = new Map<string, { left: number; error: InjectedFailure; pass: number }>();
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
      this.failNext(rule.service, rule.operation, rule.count, rule.error, rule.after);
  }

  /**
   * The next `count` calls of `operation` fail with `error` (after `after` more pass); later calls pass (e.g. SNS
   * Publish 5xx, retried).
   */
  failNext(
    service: ServiceName,
    operation: string,
    count: number,
    error: InjectedFailure = 'unavailable',
    after = 0,
  ): void {
    if (count <= 0) this.failing.delete(`${service}|${operation}`);
    else this.failing.set(`${service}|${operation}`, { left: count, error, pass: after });
  }

  /** The failure to inject into this call, counting it; undefined when the call should pass. */
  takeFailure(service: ServiceName, operation: string): InjectedFailure | undefined {
    if (this.failing.size === 0) return undefined;
    const key = `${service}|${operation}`;
    const rule = this.failing.get(key);
    if (!rule) return undefined;
    if (rule.pass > 0) {
      rule.pass--;
      return undefined;
    }
    if (--rule.left <= 0) this.failing.delete(key);
    return rule.error;
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
