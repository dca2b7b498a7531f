// Unit tests of the audit against the sandbox (test/sandbox), in process: the SDK's own resolution (endpoint,
// keys, region) points at it through the environment, as in Lambda, so the clients under test are the product's
// (createAwsClients) and what they send is AWS's wire format, not a stub's idea of it.
import { vi } from 'vitest';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import type { WorldInput } from '../sandbox/world.ts';

// Where else the SDK's default chain would look for an identity or a profile on the machine running the tests.
const ELSEWHERE = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
];

/**
 * Points the SDK at the sandbox for the rest of the test (undone by `stopSandboxes`): its endpoint, the caller's
 * keys (`withoutKeys`: none anywhere, as on a machine without credentials), and no config or credentials file.
 */
export function pointSdkAt(sandbox: Sandbox, options: { withoutKeys?: boolean } = {}): void {
  for (const name of ELSEWHERE) vi.stubEnv(name, undefined);
  const env = { ...sandbox.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  if (options.withoutKeys) {
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
  }
}

const running: Sandbox[] = [];

/**
 * A sandbox serving `world` without issuer servers (these tests probe issuers with a fake prober), SDK pointed
 * (without access keys if asked).
 */
export async function startAuditSandbox(
  world: WorldInput,
  options: { withoutKeys?: boolean } = {},
): Promise<Sandbox> {
  const sandbox = await startSandbox(world, { issuers: false });
  running.push(sandbox);
  pointSdkAt(sandbox, options);
  return sandbox;
}

/** For afterEach: stops the sandboxes this file started and gives the environment back. */
export async function stopSandboxes(): Promise<void> {
  vi.unstubAllEnvs();
  await Promise.all(running.splice(0).map((sandbox) => sandbox.stop()));
}

/** `service:Operation` of each call the sandbox answered, in order (`service`: only that service's). */
export function callNames(sandbox: Sandbox, service?: string): string[] {
  return sandbox.log.entriesOf(service).map((entry) => `${entry.service}:${entry.operation}`);
}
