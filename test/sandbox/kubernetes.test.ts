// The sandbox's Kubernetes API as a reader sees it: pod lists narrowed by a field selector the way the API
// server reads one, and refused with 400 on a field it does not serve.
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConnectTo } from '../../src/config/connect-to.ts';
import { FULL_OBJECTS, openSession } from '../../src/inventory/kubernetes/session.ts';
import type { WorldKubernetes } from './kubernetes/world.ts';
import { type Sandbox, startSandbox } from './server.ts';
import { callerAccount, cluster, world } from './world-builders.ts';

const REGION = 'us-east-1';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

type Pod = WorldKubernetes['pods'][number];

function pod(name: string, serviceAccount: string, phase: Pod['phase'] = 'Running'): Pod {
  return { namespace: 'app', name, serviceAccount, phase };
}

/** Lists `app`'s pods of a cluster serving `pods` with `fieldSelector`; their names, sorted. */
async function podNames(pods: Pod[], fieldSelector: string): Promise<string[]> {
  sandbox = await startSandbox(
    world([
      callerAccount({ clusters: [cluster('prod', REGION, { kubernetes: { pods } as WorldKubernetes })] }),
    ]),
    { issuers: false },
  );
  const eks = new EKSClient({ ...sandbox.clientConfig(undefined, REGION), maxAttempts: 1 });
  const { cluster: described } = await eks.send(new DescribeClusterCommand({ name: 'prod' }));
  const credentials = sandbox.credentials();
  const session = openSession(
    {
      name: 'prod',
      region: REGION,
      partition: 'aws',
      endpoint: described?.endpoint ?? '',
      ca: Buffer.from(described?.certificateAuthority?.data ?? '', 'base64').toString('utf8'),
    },
    {
      connectTo: sandbox.connectTo.map(parseConnectTo),
      connectTimeoutMs: 2_000,
      requestTimeoutMs: 5_000,
      call: (fn) => fn(),
      credentials: async () => credentials,
      pageSize: 500,
      maxPages: 10,
    },
  );
  try {
    const items = await session.list<{ metadata: { name: string } }>(
      '/api/v1/namespaces/app/pods',
      FULL_OBJECTS,
      {
        fieldSelector,
      },
    );
    return items.map((item) => item.metadata.name).sort();
  } finally {
    session.close();
  }
}

const PODS = [
  pod('api-1', 'api'),
  pod('api-0', 'api', 'Succeeded'),
  pod('web-1', 'web'),
  pod('job-1', 'job'),
];

describe('the sandbox Kubernetes API: pod field selectors', () => {
  it('ANDs its terms, = and == alike', async () => {
    // Act
    const names = await podNames(PODS, 'spec.serviceAccountName==api,status.phase=Running');

    // Assess
    expect(names).toEqual(['api-1']);
  });

  it('excludes with !=', async () => {
    // Act
    const names = await podNames(PODS, 'status.phase=Running,spec.serviceAccountName!=web');

    // Assess
    expect(names).toEqual(['api-1', 'job-1']);
  });

  it('refuses a field it does not serve with 400, as the API server does', async () => {
    // Act
    const listed = podNames(PODS, 'spec.containers=app');

    // Assess
    await expect(listed).rejects.toMatchObject({ code: 'HTTP_400' });
  });
});
