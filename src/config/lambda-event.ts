import { inputFromEnv } from './env.ts';
import { inputFromEvent } from './event.ts';
import { limitToConfiguredScope } from './manual-scope.ts';
import { mergeInputs, resolveConfig } from './resolve.ts';
import type { AuditConfig } from './schema.ts';

/**
 * A Lambda invocation's configuration: the event first (a bad event is the caller's mistake and is named as such,
 * whatever the environment), narrowed to the configured scope, over the environment. Throws ConfigError.
 */
export function configFromEvent(
  event: unknown,
  env: Record<string, string | undefined>,
): { config: AuditConfig; dryRun: boolean } {
  const fromEvent = inputFromEvent(event);
  const configured = inputFromEnv(env);
  limitToConfiguredScope(configured, fromEvent.input);
  const input = mergeInputs(configured, fromEvent.input, fromEvent.dryRun ? { publish: false } : {});
  return { config: resolveConfig(fromEvent.trigger, input), dryRun: fromEvent.dryRun };
}
