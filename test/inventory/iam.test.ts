// The IAM reads against the sandbox: what they keep of each provider and role, and which of its texts the run's
// pool is handed (src/inventory/iam.ts), since trust policies and service accounts repeat the same ARNs.
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/clients/aws.ts';
import type { CallLimiter } from '../../src/clients/limit.ts';
import { readProviders, readRoles } from '../../src/inventory/iam.ts';
import {
  CALLER_ID as CALLER,
  callerAccount,
  derivedIssuer,
  provider,
  role,
  world,
} from '../sandbox/world-builders.ts';
import { recordingPool } from '../support/pools.ts';
import { startAuditSandbox, stopSandboxes } from '../support/sandbox-aws.ts';

afterEach(stopSandboxes);

const unlimited: CallLimiter = (call) => call();

describe("the IAM reads and the run's pool of texts", () => {
  it("hand the pool each provider's ARN and each role's, and keep what IAM returned", async () => {
    // Prepare: one provider, and one role whose trust names it as its Federated principal
    const issuer = derivedIssuer(CALLER, 'us-east-1', 'cluster-000');
    const providerArn = `arn:aws:iam::${CALLER}:oidc-provider/${issuer}`;
    const trust = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: providerArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${issuer}:sub`]: 'system:serviceaccount:app:api' } },
        },
      ],
    };
    await startAuditSandbox(
      world([
        callerAccount({
          oidcProviders: [provider(issuer)],
          roles: [role('app-api', trust)],
          assumableRoles: [],
        }),
      ]),
    );
    const clients = createAwsClients({ maxAttempts: 1 });
    const { pool, handed } = recordingPool();

    // Act
    const providers = await readProviders(clients, 'aws', CALLER, undefined, unlimited, pool);
    const roles = await readRoles(clients, 'aws', CALLER, undefined, unlimited, pool);

    // Assess: the provider's ARN twice (its own, then the trust's principal), the role's once
    expect(providers.map((p) => p.arn)).toEqual([providerArn]);
    expect(roles.map((r) => [r.arn, r.trustPolicy])).toEqual([
      [`arn:aws:iam::${CALLER}:role/app-api`, trust],
    ]);
    expect(handed.filter((text) => text === providerArn)).toHaveLength(2);
    expect(handed.filter((text) => text === roles[0]?.arn)).toHaveLength(1);
  });
});
