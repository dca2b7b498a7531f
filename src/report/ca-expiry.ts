import type { Report } from './types.ts';

/**
 * Per issuer host, whole days until the earliest `notAfter` among the CA certificates it served (presented or
 * verified chain); negative once expired. Hosts whose chain could not be read are left out (issuer-unreachable
 * says why), so the dashboard's line and the HTML timeline stop instead of showing a made-up value.
 */
export function daysToCaExpiryByHost(report: Report): Map<string, number> {
  const at = new Date(report.finishedAt).getTime();
  const earliest = new Map<string, number>();
  for (const issuer of report.issuers) {
    const chain = issuer.tls?.chain;
    if (!chain) continue;
    for (const certificate of [...chain.presented, ...chain.verified]) {
      if (!certificate.isCa) continue;
      const notAfter = Date.parse(certificate.notAfter);
      if (Number.isNaN(notAfter)) continue;
      const host = issuer.tls?.host ?? issuer.host;
      earliest.set(host, Math.min(earliest.get(host) ?? Number.POSITIVE_INFINITY, notAfter));
    }
  }
  const days = new Map<string, number>();
  for (const [host, notAfter] of [...earliest].sort(([a], [b]) => a.localeCompare(b))) {
    days.set(host, Math.floor((notAfter - at) / 86_400_000));
  }
  return days;
}
