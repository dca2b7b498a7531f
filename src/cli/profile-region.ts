// The home region of a CLI run with --profile, as the AWS CLI takes it: loaded with the SDK by the commands that
// call AWS (an audit, and `report FILE` reading its mutes from SSM or S3), never by --help.

import { profileRegion } from '../clients/settings.ts';
import type { AuditConfig } from '../config/schema.ts';
import type { CliIo } from './io.ts';

/** Without --region or AWS_REGION, the profile's own region. */
export async function withProfileRegion(config: AuditConfig, env: CliIo['env']): Promise<AuditConfig> {
  if (config.homeRegion || env.AWS_REGION || env.AWS_DEFAULT_REGION) return config;
  const region = await profileRegion(config.profile);
  return region ? { ...config, homeRegion: region } : config;
}
