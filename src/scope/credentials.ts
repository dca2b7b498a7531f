import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AwsClients } from '../clients/aws.ts';
import type { Partition } from '../inventory/types.ts';

export interface AssumeRoleRequest {
  partition: Partition;
  accountId: string;
  roleName: string;
  externalId?: string;
  homeRegion: string;
  sessionName: string;
}

const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Credentials of the member role, assumed once and shared by every client of that account; assumed again only
 * when they come within five minutes of expiry (long CLI runs over large organizations).
 */
export function assumedRoleCredentials(
  clients: AwsClients,
  request: AssumeRoleRequest,
  now: () => number = Date.now,
): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const response = await clients.sts(request.homeRegion).send(
      new AssumeRoleCommand({
        RoleArn: `arn:${request.partition}:iam::${request.accountId}:role/${request.roleName}`,
        RoleSessionName: request.sessionName,
        ExternalId: request.externalId,
        DurationSeconds: 3600,
      }),
    );
    const c = response.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      throw new Error(`sts:AssumeRole into ${request.accountId} returned no credentials`);
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  };
  return async () => {
    const cached = current ? await current.catch(() => undefined) : undefined;
    const fresh = cached && (!cached.expiration || cached.expiration.getTime() - now() > REFRESH_MARGIN_MS);
    if (!fresh) {
      current = assume();
      current.catch(() => {
        current = undefined;
      });
    }
    return current as Promise<AwsCredentialIdentity>;
  };
}

/** A RoleSessionName that tells CloudTrail readers who called: at most 64 characters of [\w+=,.@-]. */
export function auditSessionName(startedAt: Date): string {
  return `eks-oidc-auditor-${startedAt.toISOString().replace(/[:.]/g, '').slice(0, 15)}`;
}
