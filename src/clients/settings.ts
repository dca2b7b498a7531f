// Settings the SDK reads from the shared config files, asked of the SDK's own public client configuration: a
// client's resolved `region` is the provider the SDK itself uses (the environment, then the profile in the
// shared config file), so the AWS CLI's rule for a profile's region needs no loader of its own here.

import { STSClient } from '@aws-sdk/client-sts';

/**
 * The region the shared config files give the profile (`region = …` of --profile, AWS_PROFILE or `default`), as
 * the AWS CLI takes it when neither --region nor AWS_REGION is set; undefined when they give none.
 */
export async function profileRegion(profile?: string): Promise<string | undefined> {
  const client = new STSClient(profile === undefined ? {} : { profile });
  return client.config.region().catch(() => undefined);
}
