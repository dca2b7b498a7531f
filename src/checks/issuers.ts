// Whether each cluster's issuer could be read the way STS reads it: TLS to the issuer host, the discovery
// document naming that issuer, and TLS to the keys host (docs/irsa.md, docs/thumbprints.md).

import type { Facts } from '../facts/index.ts';
import type { Cluster, ProbeError } from '../model/inventory.ts';
import { type FamilyFinding, family } from './family.ts';
import { clusterPlace, makeFinding } from './finding.ts';
import { hostsServing, issuerProbeFor } from './issuer-matching.ts';
import { shellQuote, showCertificatesCommand, steps } from './remediation.ts';

/** What this family may emit (src/checks/family.ts). */
type IssuersFinding = FamilyFinding<'issuers'>;

const STS_SYMPTOM = "InvalidIdentityToken: Couldn't retrieve verification key from your identity provider";

export const checkIssuers = family('issuers', (facts) =>
  facts.inventory.clusters.flatMap((cluster) => unreachable(facts, cluster)),
);

interface Problem extends ProbeError {
  /** `issuer host`, `jwks host` or `discovery`, with the host: where the probe failed. */
  where: string;
}

function unreachable(facts: Facts, cluster: Cluster): IssuersFinding[] {
  if (cluster.issuer === null) return [];
  const issuer = cluster.issuer;
  const hosts = hostsServing(facts, issuer);
  const issuerProbe = issuerProbeFor(facts, issuer);
  // Host errors first: a failed TLS connection is usually why discovery failed too.
  const problems: Problem[] = [
    ...hosts.flatMap(({ host, role, probe }) =>
      probe?.error ? [{ where: `${role} host ${host}`, ...probe.error }] : [],
    ),
    ...(issuerProbe?.error ? [{ where: `discovery of ${issuer}`, ...issuerProbe.error }] : []),
  ];
  const first = problems[0];
  if (!first) return [];

  const discoveryUrl = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const mismatch = problems.find((problem) => problem.code === 'ISSUER_MISMATCH');
  return [
    makeFinding({
      check: 'issuer-unreachable',
      severity: 'medium',
      ...clusterPlace(cluster),
      message: `Issuer of cluster ${cluster.name} could not be read (${first.where}: ${first.code}: ${first.message}); STS may fail the same way: "${STS_SYMPTOM}"`,
      remediation: steps(
        mismatch
          ? `# the discovery document must name ${issuer} as its issuer; compare:`
          : '# check reachability from where the audit runs (private DNS, proxies: see --connect-to):',
        `curl -sS ${shellQuote(discoveryUrl)}`,
        ...hosts.map(({ host }) => showCertificatesCommand(host)),
      ),
      evidence: {
        expected: `TLS to ${hosts.map(({ host }) => host).join(' and ')} and a discovery document at ${discoveryUrl} naming issuer ${issuer}`,
        found: problems.map(({ where, stage, code, message }) => ({ where, stage, code, message })),
        discovery: issuerProbe?.discovery ?? null,
      },
    }),
  ];
}
