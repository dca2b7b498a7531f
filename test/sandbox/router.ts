// Who is calling what: the SigV4 credential scope names the access key, region and service; the access key
// names the world account. Signatures are not verified (the sandbox trusts loopback callers).

import { standardError } from './errors.ts';
import { account } from './services/account.ts';
import { cloudwatch } from './services/cloudwatch.ts';
import { dynamodb } from './services/dynamodb.ts';
import { ec2 } from './services/ec2.ts';
import { eks } from './services/eks.ts';
import { iam } from './services/iam.ts';
import { organizations } from './services/organizations.ts';
import { s3 } from './services/s3.ts';
import { securityhub } from './services/securityhub.ts';
import { sns } from './services/sns.ts';
import { ssm } from './services/ssm.ts';
import { sts } from './services/sts.ts';
import type { ServiceDef } from './services/types.ts';
import type { Identity, SandboxState } from './state.ts';

export interface CredentialScope {
  accessKeyId: string;
  region: string;
  /** The signing name (`monitoring` for CloudWatch). */
  service: string;
}

const SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export function parseCredentialScope(authorization: string | undefined): CredentialScope | undefined {
  if (!authorization) return undefined;
  const match = SCOPE.exec(authorization);
  if (!match) return undefined;
  const [, accessKeyId = '', region = '', service = ''] = match;
  return { accessKeyId, region, service };
}

export const SERVICES: ReadonlyMap<string, ServiceDef> = new Map(
  [sts, iam, eks, account, ec2, organizations, sns, cloudwatch, dynamodb, ssm, securityhub, s3].map((s) => [
    s.signingName,
    s,
  ]),
);

/** The identity behind an access key; throws the service's error for unknown, mismatched or expired keys. */
export function authenticate(
  state: SandboxState,
  service: ServiceDef,
  scope: CredentialScope,
  sessionToken: string | undefined,
): Identity {
  const identity = state.identities.get(scope.accessKeyId);
  if (!identity) throw standardError('invalidToken', service.name);
  if (identity.sessionToken !== undefined) {
    if (sessionToken !== identity.sessionToken) throw standardError('invalidToken', service.name);
    if ((identity.expiresAt ?? Infinity) <= Date.now()) throw standardError('expiredToken', service.name);
  }
  return identity;
}

/** Regional services reject calls to regions the account has not enabled, as AWS does for opt-in regions. */
export function checkRegion(service: ServiceDef, identity: Identity, region: string): void {
  if (service.global) return;
  const account = identity.account;
  if (!account.enabledRegions.has(region) || account.brokenRegions.has(region)) {
    throw standardError('disabledRegion', service.name);
  }
}
