import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../clients/aws.ts';
import type { Partition } from '../model/inventory.ts';
import { isPartition, parseArn } from '../naming/arn.ts';

export interface Caller {
  accountId: string;
  arn: string;
  partition: Partition;
}

/** Raised when the run has no usable credentials at all: nothing can be audited. */
export class NoCredentialsError extends Error {
  override readonly name = 'NoCredentialsError';
}

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'TokenRefreshRequired',
]);

export async function whoAmI(clients: AwsClients, homeRegion: string): Promise<Caller> {
  try {
    const identity = await clients.sts(homeRegion).send(new GetCallerIdentityCommand({}));
    const arn = identity.Arn ?? '';
    const partition = parseArn(arn)?.partition ?? '';
    if (!identity.Account || !isPartition(partition)) {
      throw new Error(
        `sts:GetCallerIdentity returned an unexpected identity: Account=${identity.Account} Arn=${arn}`,
      );
    }
    return { accountId: identity.Account, arn, partition };
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (CREDENTIAL_ERRORS.has(name)) {
      throw new NoCredentialsError(
        `No usable AWS credentials (${name}: ${(error as Error).message.split('\n')[0]}). ` +
          'Set AWS_PROFILE (run `aws sso login --profile NAME` first for SSO), or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.',
      );
    }
    throw error;
  }
}
