// The Kubernetes reader against the sandbox's Kubernetes API: the token signed locally and verified as EKS does,
// the cluster's CA from DescribeCluster, the --connect-to mapping, pages, 410, kept-alive connections the server
// closes, 401, 403, a hang, and a private endpoint decided before dialling.
import { DescribeClusterCommand, type Cluster as DescribedCluster, EKSClient } from '@aws-sdk/client-eks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallLimiter } from '../../src/clients/limit.ts';
import { parseConnectTo } from '../../src/config/connect-to.ts';
import { readRegionKubernetes } from '../../src/inventory/kubernetes/index.ts';
import type { SidePools } from '../../src/inventory/kubernetes/read.ts';
import { type Cluster, namespaceAccountsKey, serviceAccountCount } from '../../src/model/inventory.ts';
import { valuePool } from '../../src/runtime/compact.ts';
import type { WorldKubernetes } from '../sandbox/kubernetes/world.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { CALLER_ID, callerAccount, cluster, world } from '../sandbox/world-builders.ts';
import { createHierarchy } from '../support/pki.ts';
import { recordingPool } from '../support/pools.ts';

const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${CALLER_ID}:role/app`;

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

/** A cluster `prod` whose API holds 7 service accounts (one annotated, with a running pod) in 3 namespaces. */
function side(overrides: Partial<WorldKubernetes> = {}): Partial<WorldKubernetes> {
  return {
    serviceAccounts: [
      { namespace: 'app', name: 'api', annotations: { 'eks.amazonaws.com/role-arn': ROLE } },
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ namespace: 'jobs', name, annotations: {} })),
    ],
    pods: [
      { namespace: 'app', name: 'api-1', serviceAccount: 'api', phase: 'Running' as const },
      { namespace: 'app', name: 'api-0', serviceAccount: 'api', phase: 'Succeeded' as const },
    ],
    ...overrides,
  };
}

async function read(
  kubernetes: Partial<WorldKubernetes>,
  settings: {
    pageSize?: number;
    connectTimeoutMs?: number;
    clusterSlots?: CallLimiter;
    pools?: SidePools;
    /** A CA (PEM) in place of the one DescribeCluster returns. */
    caPem?: string;
  } = {},
) {
  sandbox = await startSandbox(
    world([
      callerAccount({ clusters: [cluster('prod', REGION, { kubernetes: kubernetes as WorldKubernetes })] }),
    ]),
    {
      issuers: false,
    },
  );
  const client = new EKSClient({ ...sandbox.clientConfig(undefined, REGION), maxAttempts: 1 });
  const { cluster: answered } = await client.send(new DescribeClusterCommand({ name: 'prod' }));
  const described: DescribedCluster = settings.caPem
    ? { ...answered, certificateAuthority: { data: Buffer.from(settings.caPem).toString('base64') } }
    : (answered ?? {});
  const found: Cluster = {
    accountId: CALLER_ID,
    region: REGION,
    name: 'prod',
    arn: described.arn ?? '',
    issuer: null,
    status: 'ACTIVE',
  };
  const credentials = sandbox.credentials();
  const errors = await readRegionKubernetes(
    {
      accountId: CALLER_ID,
      partition: 'aws',
      region: REGION,
      clusters: [found],
      described: new Map<string, DescribedCluster>([['prod', described]]),
      credentials: async () => credentials,
      principal: `arn:aws:iam::${CALLER_ID}:user/sandbox-auditor`,
      call: (fn) => fn(),
    },
    {
      connectTo: sandbox.connectTo.map(parseConnectTo),
      connectTimeoutMs: settings.connectTimeoutMs ?? 2_000,
      requestTimeoutMs: 5_000,
      pageSize: settings.pageSize ?? 500,
      ...(settings.clusterSlots ? { clusterSlots: settings.clusterSlots } : {}),
      ...(settings.pools ? { pools: settings.pools } : {}),
    },
  );
  return {
    found,
    errors,
    requests: sandbox.kubernetes?.requests('prod') ?? 0,
    connections: () => sandbox?.kubernetes?.connections('prod'),
  };
}

/**
 * The auditor's side closes a connection; the server learns it a moment later. A connection left open would stay
 * so until the server's keep-alive time-out (90 s), far past this wait.
 */
async function closedBeforeTheServerWould(connections: () => { open: number } | undefined) {
  await vi.waitFor(() => expect(connections()?.open).toBe(0), { timeout: 2_000 });
}

describe('reading a cluster through its Kubernetes API', () => {
  it('reads namespaces, service accounts and the running pods of the annotated one, with its CA and a signed token', async () => {
    // Act
    const { found, errors } = await read(side());

    // Assess
    expect(errors).toEqual([]);
    expect(found.kubernetes?.namespaces).toEqual(['app', 'default', 'jobs', 'kube-system']);
    expect(found.kubernetes?.serviceAccounts).toEqual([{ namespace: 'app', name: 'api', roleArn: ROLE }]);
    expect(found.kubernetes?.unannotated).toEqual([
      { namespace: 'jobs', names: ['a', 'b', 'c', 'd', 'e', 'f'] },
    ]);
    expect(found.kubernetes?.pods).toEqual([
      expect.objectContaining({ name: 'api-1', roleArns: [ROLE], webIdentity: true, podIdentity: false }),
    ]);
  });

  it("takes the names it keeps from the run's pool, which every cluster's repeated names share", async () => {
    // Prepare: a pool that records what it is handed
    const { pool: names, handed } = recordingPool();

    // Act
    const { found } = await read(side(), { pools: { names, namespaces: (entry) => entry } });

    // Assess: each namespace, each service account's namespace and name, and the pod's namespace and account;
    // the role's ARN as the annotation and the pod's AWS_ROLE_ARN name it
    expect(found.kubernetes?.namespaces).toEqual(['app', 'default', 'jobs', 'kube-system']);
    expect(handed.filter((text) => text === ROLE)).toHaveLength(2);
    expect(handed.filter((text) => text === 'jobs')).toHaveLength(1 + 6);
    expect(handed.filter((text) => text === 'app')).toHaveLength(1 + 1 + 1);
    expect(handed).toContain('api');
    expect(handed).not.toContain('api-1');
  });

  it("shares a namespace's list of unannotated service accounts with the clusters that hold the same", async () => {
    // Prepare: the run's pool already holds jobs' list, as another cluster's read left it
    const namespaces = valuePool(namespaceAccountsKey);
    const earlier = namespaces({ namespace: 'jobs', names: ['a', 'b', 'c', 'd', 'e', 'f'] });

    // Act
    const { found } = await read(side(), { pools: { names: (name) => name, namespaces } });

    // Assess
    expect(found.kubernetes?.unannotated).toHaveLength(1);
    expect(found.kubernetes?.unannotated[0]).toBe(earlier);
  });

  it('lists the running pods once per namespace holding service accounts that matter, keeping only theirs', async () => {
    // Prepare: app holds two annotated service accounts and one not, jobs one annotated
    const annotated = { 'eks.amazonaws.com/role-arn': ROLE };
    const running = (namespace: string, serviceAccount: string) => ({
      namespace,
      name: `${serviceAccount}-1`,
      serviceAccount,
      phase: 'Running' as const,
    });
    const kubernetes = {
      serviceAccounts: [
        { namespace: 'app', name: 'api', annotations: annotated },
        { namespace: 'app', name: 'web', annotations: annotated },
        { namespace: 'app', name: 'cron', annotations: {} },
        { namespace: 'jobs', name: 'batch', annotations: annotated },
        { namespace: 'jobs', name: 'other', annotations: {} },
      ],
      pods: [running('app', 'api'), running('app', 'web'), running('app', 'cron'), running('jobs', 'batch')],
    };

    // Act
    const { found, errors, requests, connections } = await read(kubernetes);

    // Assess: one request for app, one for jobs (not one per annotated service account), over one connection
    expect(errors).toEqual([]);
    expect(found.kubernetes?.pods.map((pod) => `${pod.namespace}/${pod.name}`)).toEqual([
      'app/api-1',
      'app/web-1',
      'jobs/batch-1',
    ]);
    expect(requests).toBe(1 + 1 + 2);
    expect(connections()?.opened).toBe(1);
  });

  it('follows continue tokens page by page', async () => {
    // Act
    const { found, requests } = await read(side(), { pageSize: 2 });

    // Assess
    expect(found.kubernetes && serviceAccountCount(found.kubernetes)).toBe(7);
    expect(requests).toBe(2 + 4 + 1);
  });

  it('sends the requests of a cluster over kept-alive connections, and closes them once its reads end', async () => {
    // Act
    const { requests, connections } = await read(side(), { pageSize: 2 });

    // Assess: namespaces, service accounts and pods listed one after the other, over one connection
    expect(requests).toBe(2 + 4 + 1);
    expect(connections()?.opened).toBe(1);
    await closedBeforeTheServerWould(connections);
  });

  it('reads a cluster within its slot of the run-wide bound on clusters read at once', async () => {
    // Prepare: a slot that counts the requests the cluster's API answered while it was held
    const inSlot: number[] = [];
    const clusterSlots: CallLimiter = async (read) => {
      const before = sandbox?.kubernetes?.requests('prod') ?? 0;
      const result = await read();
      inSlot.push((sandbox?.kubernetes?.requests('prod') ?? 0) - before);
      return result;
    };

    // Act
    const { requests } = await read(side(), { clusterSlots });

    // Assess
    expect(requests).toBe(3);
    expect(inSlot).toEqual([3]);
  });

  it('closes the connections of a cluster whose reads failed', async () => {
    // Act
    const { errors, connections } = await read(side({ mode: '403' }));

    // Assess
    expect(errors).toMatchObject([{ code: 'Forbidden' }]);
    expect(connections()?.opened).toBeGreaterThan(0);
    await closedBeforeTheServerWould(connections);
  });

  it('starts a list over on 410 Gone', async () => {
    // Act
    const { found, errors, requests } = await read(side({ mode: '410' }), { pageSize: 2 });

    // Assess
    expect(errors).toEqual([]);
    expect(found.kubernetes && serviceAccountCount(found.kubernetes)).toBe(7);
    expect(requests).toBeGreaterThan(7);
  });

  it('sends a request again on a fresh connection when the server closed the kept-alive one it went out on', async () => {
    // Act
    const { found, errors, requests } = await read(side({ mode: 'reset-reused' }), { pageSize: 2 });

    // Assess
    expect(errors).toEqual([]);
    expect(found.kubernetes && serviceAccountCount(found.kubernetes)).toBe(7);
    expect(found.kubernetes?.pods).toEqual([expect.objectContaining({ name: 'api-1' })]);
    expect(requests).toBe(2 + 4 + 1);
  });

  it('names a cluster without an access entry as kubernetes-access, after signing again once', async () => {
    // Act
    const { found, errors, requests } = await read(side({ mode: '401' }));

    // Assess
    expect(found.kubernetes).toBeUndefined();
    expect(errors).toMatchObject([{ stage: 'kubernetes-access', code: 'NoAccessEntry', cluster: found.arn }]);
    // The namespace list, signed and signed again; nothing after it
    expect(requests).toBe(2);
  });

  it('names an aws-auth-only cluster that refuses the auditor as not mapped', async () => {
    // Act
    const { errors } = await read(side({ mode: '401', authenticationMode: 'CONFIG_MAP' }));

    // Assess
    expect(errors).toMatchObject([{ stage: 'kubernetes-access', code: 'NotMappedInAwsAuth' }]);
  });

  it('names a 403 as an entry without the view policy', async () => {
    // Act
    const { errors } = await read(side({ mode: '403' }));

    // Assess
    expect(errors).toMatchObject([{ stage: 'kubernetes-access', code: 'Forbidden' }]);
  });

  it('gives up on a hanging endpoint after the connect time-out, naming its CIDR list', async () => {
    // Act
    const { errors } = await read(side({ mode: 'hang', publicAccessCidrs: ['203.0.113.0/24'] }), {
      connectTimeoutMs: 300,
    });

    // Assess
    expect(errors).toMatchObject([{ stage: 'kubernetes-unreachable', code: 'ETIMEDOUT' }]);
    expect(errors[0]?.message).toContain('203.0.113.0/24');
  });

  it("sends no token to an API whose certificate the cluster's CA did not sign", async () => {
    // Prepare: DescribeCluster names a CA of its own, not the one the API's certificate chains to
    const { root } = await createHierarchy();

    // Act
    const { found, errors, requests } = await read(side(), { caPem: root.cert.pem });

    // Assess: refused in the handshake, before any request carried the token
    expect(found.kubernetes).toBeUndefined();
    expect(errors).toMatchObject([{ stage: 'kubernetes-unreachable', cluster: found.arn }]);
    expect(errors[0]?.message).toMatch(/certificate/i);
    expect(requests).toBe(0);
  });

  it('decides a private-only endpoint from DescribeCluster, dialling nothing', async () => {
    // Act
    const { errors, requests } = await read(side({ endpointPublicAccess: false }), {});

    // Assess
    expect(errors).toMatchObject([{ stage: 'kubernetes-unreachable', code: 'PrivateEndpoint' }]);
    expect(requests).toBe(0);
  });
});
