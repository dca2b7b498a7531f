// Fault injection. Draws come from one seeded generator, so a sequential test sees the same throttles on
// every run; under concurrency the order varies but the rate holds.

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
}

export class FaultInjector {
  private settings: FaultSettings;
  private random: () => number;
  private denied = new Set<string>();

  constructor(faults: WorldFaults) {
    this.settings = {
      latencyMs: faults.latencyMs,
      throttleRate: faults.throttleRate,
      errorRate5xx: faults.errorRate5xx,
      accessDenied: faults.accessDenied,
    };
    this.random = rng(faults.seed);
    this.indexDenied();
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

  latency(service: ServiceName): number {
    return forService(this.settings.latencyMs, service);
  }

  isDenied(account: string, service: ServiceName, operation: string): boolean {
    if (this.denied.size === 0) return false;
    return (
      this.denied.has(`${account}|${service}|*`) || this.denied.has(`${account}|${service}|${operation}`)
    );
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
