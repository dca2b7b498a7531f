import type { ConfigInput } from './input.ts';
import { OPTIONS } from './options.ts';
import { readEnv } from './read-options.ts';

/** The configuration the environment gives (the Lambda's, and the CLI's under its flags). Throws ConfigError. */
export function inputFromEnv(env: Record<string, string | undefined>): ConfigInput {
  // Only rows of ConfigInput's fields name a variable: the CLI's own settings are flags alone.
  return readEnv(OPTIONS, env) as ConfigInput;
}
