import type { IssuerProber, ProbeResult } from '../../src/inventory/issuer-probe.ts';

/**
 * A prober that answers without the network: every issuer read and, unless `hosts` is false, every issuer
 * host reached (with no chain recorded). It records the list each run was finished with, sorted, and every issuer
 * added, as added; a run stopped by the time budget reads nothing, as the real one reads nothing it had not started.
 */
export function answeringProber(
  options: { hosts?: boolean } = {},
): IssuerProber & { asked: string[][]; added: string[] } {
  const asked: string[][] = [];
  const added: string[] = [];
  const answer = (issuers: string[]): ProbeResult => ({
    hosts:
      options.hosts === false
        ? []
        : [...new Set(issuers.map((issuer) => new URL(issuer).host))].map((host) => ({ host, port: 443 })),
    issuers: issuers.map((issuer) => ({ issuer, host: new URL(issuer).host })),
  });
  return {
    asked,
    added,
    start() {
      const issuers = new Set<string>();
      let stopped = false;
      return {
        add: (issuer) => {
          added.push(issuer);
          issuers.add(issuer);
        },
        stop: () => {
          stopped = true;
        },
        finish: async () => {
          if (stopped) return { hosts: [], issuers: [] };
          const list = [...issuers].sort();
          asked.push(list);
          return answer(list);
        },
      };
    },
  };
}
