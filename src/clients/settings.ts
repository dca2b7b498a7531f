// The settings every SDK client reads from the environment and the shared config file, read once per set of
// clients instead of once per client. An audit builds some twenty clients per account (one per service, region
// and identity), and each new client looks up FIPS and dual-stack endpoints, the auth scheme preference and the
// app id by trying the environment, then ~/.aws/config, then the default: every miss is a thrown and caught
// ProviderError, eight per client, 3.6% of the auditor's CPU at 200 accounts (docs/performance.md, "CPU per
// call"). The same SDK loaders, with the same sources and defaults, resolved once and shared: a client given a
// provider function calls it rather than building its own chain.

import { NODE_APP_ID_CONFIG_OPTIONS } from '@aws-sdk/core/client';
import { NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } from '@aws-sdk/core/httpAuthSchemes';
import {
  loadConfig,
  NODE_REGION_CONFIG_FILE_OPTIONS,
  NODE_REGION_CONFIG_OPTIONS,
  NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS,
  NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS,
} from '@smithy/core/config';

/** Client settings as memoized providers: the first client to need one resolves it for all the others. */
export interface SharedClientSettings {
  useFipsEndpoint: () => Promise<boolean>;
  useDualstackEndpoint: () => Promise<boolean>;
  authSchemePreference: () => Promise<string[]>;
  userAgentAppId: () => Promise<string | undefined>;
}

/** `profile`: the shared config profile to read them from (--profile); absent, AWS_PROFILE or `default`. */
export function sharedClientSettings(profile?: string): SharedClientSettings {
  const from = profile === undefined ? {} : { profile };
  return {
    useFipsEndpoint: loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, from),
    useDualstackEndpoint: loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, from),
    authSchemePreference: loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, from),
    userAgentAppId: loadConfig(NODE_APP_ID_CONFIG_OPTIONS, from),
  };
}

/**
 * The region the shared config files give the profile (`region = …` of --profile, AWS_PROFILE or `default`), as
 * the AWS CLI takes it when neither --region nor AWS_REGION is set; undefined when they give none.
 */
export async function profileRegion(profile?: string): Promise<string | undefined> {
  const from = { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...(profile === undefined ? {} : { profile }) };
  return loadConfig(NODE_REGION_CONFIG_OPTIONS, from)().catch(() => undefined);
}
