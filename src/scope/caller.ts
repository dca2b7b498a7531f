import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../clients/aws.ts';
import type { Partition } from '../model/inventory.ts';
import { isPartition, parseArn } from '../naming/arn.ts';
import { shellQuote } from '../text/quote.ts';

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

/**
 * The identity the run's credentials belong to. `profile`: the named profile they come from, if any, so that a
 * refusal names it rather than advising to set AWS_PROFILE when it is set.
 */
export async function whoAmI(clients: AwsClients, homeRegion: string, profile?: string): Promise<Caller> {
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
      const why = `${name}: ${(error as Error).message.split('\n')[0]}`;
      throw new NoCredentialsError(
        profile === undefined
          ? `No usable AWS credentials (${why}). Use --profile NAME or set AWS_PROFILE (run \`aws sso login ` +
              '--profile NAME` first for SSO), or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.'
          : `No usable AWS credentials from profile ${profile} (${why}). Check that profile in ~/.aws/config ` +
              `and ~/.aws/credentials (or AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE); for SSO run ` +
              `\`aws sso login --profile ${shellQuote(profile)}\` first.`,
      );
    }
    throw error;
  }
}
