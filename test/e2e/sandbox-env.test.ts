import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { CALLER_ID, callerAccount, cluster, world } from '../sandbox/world-builders.ts';

const run = promisify(execFile);
const ID = '33333333333333333333333333333333';

// What a child process does with nothing but sandbox.env: SDK clients with no endpoint in code, and a TLS
// fetch of the issuer trusting only what NODE_EXTRA_CA_CERTS adds.
const CHILD = `
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { EKSClient, DescribeClusterCommand } from '@aws-sdk/client-eks';
import { request } from 'node:https';
const who = await new STSClient({}).send(new GetCallerIdentityCommand({}));
const described = await new EKSClient({}).send(new DescribeClusterCommand({ name: 'prod' }));
const issuer = new URL(described.cluster.identity.oidc.issuer);
const [, , , port] = process.env.AUDIT_CONNECT_TO.split(',').find((m) => m.startsWith(issuer.host + ':')).split(':');
const discovery = await new Promise((resolve, reject) => {
  request({ host: '127.0.0.1', port: Number(port), servername: issuer.host, path: issuer.pathname + '/.well-known/openid-configuration' }, (res) => {
    let text = '';
    res.on('data', (c) => { text += c; });
    res.on('end', () => resolve(JSON.parse(text)));
  }).on('error', reject).end();
});
console.log(JSON.stringify({ account: who.Account, issuer: described.cluster.identity.oidc.issuer, discovered: discovery.issuer }));
`;

describe('sandbox.env', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox(
      world([callerAccount({ clusters: [cluster('prod', 'us-east-1', { issuer: ID })] })]),
    );
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('is all a child process needs to reach the sandbox and trust its issuers', async () => {
    // Prepare
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...sandbox.env };

    // Act
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', CHILD], {
      env,
      cwd: process.cwd(),
      timeout: 15_000,
    });

    // Assess
    const issuer = `https://oidc.eks.us-east-1.amazonaws.com/id/${ID}`;
    expect(JSON.parse(stdout)).toEqual({ account: CALLER_ID, issuer, discovered: issuer });
    expect(sandbox.env).toMatchObject({ AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: 'us-east-1' });
    expect(sandbox.log.byOperation()).toEqual({ 'eks:DescribeCluster': 1, 'sts:GetCallerIdentity': 1 });
  });
});
