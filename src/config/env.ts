import { AUDIT_OPTIONS, type ConfigInput } from './options.ts';
import { readEnv } from './read-options.ts';

/** The configuration the environment gives (the Lambda's, and the CLI's under its flags). Throws ConfigError. */
export function inputFromEnv(env: Record<string, string | undefined>): ConfigInput {
  return readEnv(AUDIT_OPTIONS, env);
}
