import { describe, expect, it } from 'vitest';
import { elementProblem } from '../../src/inventory/part-shapes.ts';
import {
  aCluster,
  aHostProbe,
  anAccount,
  anAssociation,
  anAuditError,
  anIssuerProbe,
  aProvider,
  aRole,
  aTlsChain,
} from '../support/inventory.ts';
import { readCluster } from '../support/kubernetes.ts';

describe('elementProblem', () => {
  it.each([
    ['accounts', anAccount()],
    ['clusters', aCluster({ podIdentity: { associations: [anAssociation(aCluster())], agent: null } })],
    ['clusters', readCluster(aCluster())],
    ['providers', aProvider({ cluster: aCluster() })],
    ['roles', aRole()],
    ['hosts', aHostProbe({ chain: aTlsChain() })],
    ['issuers', anIssuerProbe()],
    ['errors', anAuditError({ accountId: null })],
  ] as const)('finds nothing wrong with one of %s as the audit writes it', (list, element) => {
    expect(elementProblem(list, JSON.parse(JSON.stringify(element)))).toBeUndefined();
  });

  it.each([
    [
      "a certificate deep in a host's chain",
      'hosts',
      () => {
        const host = aHostProbe({ chain: aTlsChain() });
        (host.chain?.presented[0] as unknown as Record<string, unknown>).sha1 = null;
        return host;
      },
      'chain.presented[0].sha1: expected a string, found null',
    ],
    [
      'a Pod Identity association',
      'clusters',
      () =>
        aCluster({
          podIdentity: { associations: [{ ...anAssociation(aCluster()), roleArn: 7 as unknown as string }] },
        }),
      'podIdentity.associations[0].roleArn: expected a string, found number 7',
    ],
    [
      "a cluster's unannotated service accounts",
      'clusters',
      () =>
        readCluster(aCluster(), {
          unannotated: [{ namespace: 'jobs', names: ['a', 7 as unknown as string] }],
        }),
      'kubernetes.unannotated[0].names: expected an array of strings, found an array',
    ],
    [
      'a list of strings',
      'providers',
      () => aProvider({ cluster: aCluster(), clientIds: ['sts.amazonaws.com', 1 as unknown as string] }),
      'clientIds: expected an array of strings, found an array',
    ],
    [
      "an audit error's account",
      'errors',
      () => anAuditError({ accountId: 123456789012 as unknown as string }),
      'accountId: expected a string or null, found number 123456789012',
    ],
  ] as const)('names the field of %s', (_, list, element, problem) => {
    expect(elementProblem(list, JSON.parse(JSON.stringify(element())))).toBe(problem);
  });
});
