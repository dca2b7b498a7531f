// The shipped demo world behind a sandbox for one describe block, and the CLI's organization-wide audit of it.
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { type ChildResult, runCli } from '../../../scripts/sandbox-processes.ts';
import type { Finding } from '../../../src/model/finding.ts';
import type { Report } from '../../../src/report/types.ts';
import { type Sandbox, startSandbox } from '../../sandbox/server.ts';
import { loadWorld, type World } from '../../sandbox/world.ts';

export const DEMO_WORLD = join(import.meta.dirname, '..', '..', 'sandbox', 'worlds', 'demo.json');

/** What tells findings of two runs apart or alike: their check, severity and place. */
export function findingKey(finding: Finding): string {
  return [finding.check, finding.severity, finding.accountId, finding.region, finding.resource].join(' ');
}

/**
 * `eks-oidc-audit --accounts org [--external-id <the members'>] --format json ARGS` against the sandbox, its exit
 * checked (no time-out, 0) and its report parsed.
 */
export async function auditOrg(
  sandbox: Sandbox,
  world: World | undefined,
  args: string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Report> {
  const externalId = world?.accounts.find((account) => account.externalId)?.externalId;
  const run = await runCli(
    sandbox,
    ['--accounts', 'org', ...(externalId ? ['--external-id', externalId] : []), '--format', 'json', ...args],
    options,
  );
  expect(run.timedOut).toBe(false);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Report;
}

export interface DemoSandbox {
  readonly world: World;
  readonly sandbox: Sandbox;
  /** `eks-oidc-audit --accounts org --external-id <the members'> --kubernetes ARGS` against the sandbox. */
  audit(...args: string[]): Promise<ChildResult>;
}

export function useDemoSandbox(): DemoSandbox {
  let world: World | undefined;
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    world = await loadWorld(DEMO_WORLD);
    sandbox = await startSandbox(world);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  const ready = () => {
    if (!world || !sandbox) throw new Error('the demo sandbox is not started');
    return { world, sandbox };
  };
  return {
    get world() {
      return ready().world;
    },
    get sandbox() {
      return ready().sandbox;
    },
    audit: (...args) => {
      const { world: w, sandbox: s } = ready();
      const externalId = w.accounts.find((account) => account.externalId)?.externalId ?? '';
      // With the clusters' Kubernetes sides, as the demo world describes them.
      return runCli(s, ['--accounts', 'org', '--external-id', externalId, '--kubernetes', ...args]);
    },
  };
}
