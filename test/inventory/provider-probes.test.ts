import { describe, expect, it } from 'vitest';
import { scheduleProviderProbes } from '../../src/inventory/provider-probes.ts';
import { aCluster, aProvider, eksIssuer } from '../support/inventory.ts';

const OWNER = '111122223333';
const OTHER = '444455556666';

/** The schedule, with the issuers it asked to probe, in order. */
function schedule() {
  const probed: string[] = [];
  return { probes: scheduleProviderProbes((issuer) => probed.push(issuer)), probed };
}

describe('when the issuer of a provider is probed', () => {
  it('as soon as its own account and region are read with no cluster serving it, whatever other regions do', () => {
    // Prepare: a provider whose cluster is gone, listed before and read after its region; eu-west-1 not read yet
    const { probes, probed } = schedule();
    const gone = aProvider({ accountId: OWNER, cluster: aCluster({ accountId: OWNER, name: 'gone' }) });
    probes.providersListed(OWNER, [gone]);
    const before = [...probed];

    // Act
    probes.clustersRead(OWNER, 'us-east-1', [aCluster({ accountId: OWNER, name: 'live' })]);

    // Assess
    expect(before).toEqual([]);
    expect(probed).toEqual([`https://${gone.url}`]);
  });

  it('at once when its account and region were read before the providers were listed', () => {
    // Prepare
    const { probes, probed } = schedule();
    probes.clustersRead(OWNER, 'us-east-1', []);
    const external = aProvider({ accountId: OWNER, cluster: aCluster({ accountId: OTHER, name: 'theirs' }) });

    // Act
    probes.providersListed(OWNER, [external]);

    // Assess
    expect(probed).toEqual([`https://${external.url}`]);
  });

  it('never for a provider a cluster of its own account and region serves, under its URL or its alias', () => {
    // Prepare
    const { probes, probed } = schedule();
    const live = aCluster({ accountId: OWNER, name: 'live' });
    probes.providersListed(OWNER, [
      aProvider({ accountId: OWNER, cluster: live }),
      aProvider({ accountId: OWNER, cluster: live, alias: true }),
    ]);

    // Act
    probes.clustersRead(OWNER, 'us-east-1', [live]);

    // Assess
    expect(probed).toEqual([]);
    expect(probes.unserved()).toEqual([]);
  });

  it('never early for a provider of a region not read (not audited, or failed): the end decides', () => {
    // Prepare
    const { probes, probed } = schedule();
    const elsewhere = aProvider({
      accountId: OWNER,
      cluster: aCluster({ accountId: OWNER, region: 'eu-west-1', name: 'eu' }),
    });
    probes.providersListed(OWNER, [elsewhere]);

    // Act
    probes.clustersRead(OWNER, 'us-east-1', []);
    probes.clustersRead(OTHER, 'eu-west-1', []);

    // Assess
    expect(probed).toEqual([]);
    expect(probes.unserved()).toEqual([`https://${elsewhere.url}`]);
  });

  it('ignores providers of another form than EKS (GitHub, GitLab, others): no cluster ever serves them', () => {
    // Prepare
    const { probes, probed } = schedule();
    probes.clustersRead(OWNER, 'us-east-1', []);

    // Act
    probes.providersListed(OWNER, [
      aProvider({ accountId: OWNER, url: 'token.actions.githubusercontent.com' }),
      aProvider({ accountId: OWNER, url: 'gitlab.com' }),
    ]);

    // Assess
    expect(probed).toEqual([]);
    expect(probes.unserved()).toEqual([]);
  });
});

describe('what the end of the run decides', () => {
  it('counts a cluster read after the probe as serving the provider, and names the probe as wasted', () => {
    // Prepare: a provider for another account's cluster, written with a trailing slash, read before that account
    const { probes, probed } = schedule();
    const theirs = aCluster({ accountId: OTHER, name: 'theirs' });
    const slashed = `${aProvider({ accountId: OWNER, cluster: theirs }).url}/`;
    probes.providersListed(OWNER, [aProvider({ accountId: OWNER, url: slashed })]);
    probes.clustersRead(OWNER, 'us-east-1', []);

    // Act
    probes.clustersRead(OTHER, 'us-east-1', [theirs]);

    // Assess
    expect(probed).toEqual([`https://${slashed}`]);
    expect(probes.unserved()).toEqual([]);
    // Probed but no longer needed: what collect.ts leaves out of the result.
    expect(probed.filter((issuer) => !probes.unserved().includes(issuer))).toEqual([`https://${slashed}`]);
  });

  it('keeps the unserved providers in the order listed, probed early or not, and wastes none of them', () => {
    // Prepare
    const { probes, probed } = schedule();
    const first = aProvider({ accountId: OWNER, url: eksIssuer('us-east-1', 'A1').slice(8) });
    const second = aProvider({ accountId: OWNER, url: eksIssuer('eu-west-1', 'B2').slice(8) });
    probes.providersListed(OWNER, [first, second]);

    // Act
    probes.clustersRead(OWNER, 'us-east-1', []);

    // Assess
    expect(probes.unserved()).toEqual([`https://${first.url}`, `https://${second.url}`]);
    expect(probed.filter((issuer) => !probes.unserved().includes(issuer))).toEqual([]);
  });
});
