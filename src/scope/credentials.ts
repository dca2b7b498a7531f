import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AwsClients } from '../clients/aws.ts';
import type { CallLimiter } from '../clients/limit.ts';
import type { Partition } from '../model/inventory.ts';

export interface AssumeRoleRequest {
  partition: Partition;
  accountId: string;
  roleName: string;
  externalId?: string;
  homeRegion: string;
  sessionName: string;
}

const REFRESH_MARGIN_MS = 5 * 60_000;

export interface AssumeRoleOptions {
  /**
   * The run's call limiter, for the first AssumeRole only. Refreshes are asked for by the SDK while resolving
   * the identity of a call that already holds a slot; queueing them behind that slot could deadlock a full
   * limiter, so they go straight out (one per account per hour at most).
   */
  call?: CallLimiter;
  now?: () => number;
}

/**
 * Credentials of the member role, assumed once and shared by every client of that account; assumed again only
 * when they come within five minutes of expiry (long CLI runs over large organizations).
 */
export function assumedRoleCredentials(
  clients: AwsClients,
  request: AssumeRoleRequest,
  options: AssumeRoleOptions = {},
): AwsCredentialIdentityProvider {
  const now = options.now ?? Date.now;
  let current: Promise<AwsCredentialIdentity> | undefined;
  let assumed = false;
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const send = () =>
      clients.sts(request.homeRegion).send(
        new AssumeRoleCommand({
          RoleArn: `arn:${request.partition}:iam::${request.accountId}:role/${request.roleName}`,
          RoleSessionName: request.sessionName,
          ExternalId: request.externalId,
          DurationSeconds: 3600,
        }),
      );
    const first = !assumed;
    assumed = true;
    const response = await (first && options.call ? options.call(send) : send());
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
    const pending = current;
    const cached = pending ? await pending.catch(() => undefined) : undefined;
    // Another caller started a refresh while this one waited: share it rather than assume the role twice.
    if (current && current !== pending) return current;
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
