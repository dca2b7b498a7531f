// An issuer's probe result as the inventory keeps it, from the probe itself (src/inventory/issuer-probe.ts) or read
// back from a fan-out's part (src/inventory/part.ts).

import type { IssuerProbe } from '../model/inventory.ts';

/**
 * The result made anew with all its fields at once, in the order the reads set them, its discovery document's
 * issuer the result's own text when they are the same (as a rule). An object grown field by field as the reads
 * went on, or one JSON.parse made after the trust policies' condition blocks (one first key per issuer, thousands
 * of them) had filled V8's record of shapes, got a hidden class of its own: one or two per issuer of a large
 * organization (docs/performance.md, "The merge", hidden classes, and "What the facts hold").
 */
export function settledIssuer({ issuer, host, discovery, jwksHost, error }: IssuerProbe): IssuerProbe {
  return {
    issuer,
    host,
    ...(discovery
      ? {
          discovery: {
            issuer: discovery.issuer === issuer ? issuer : discovery.issuer,
            jwksUri: discovery.jwksUri,
          },
        }
      : {}),
    ...(jwksHost !== undefined ? { jwksHost } : {}),
    ...(error ? { error } : {}),
  };
}
