// `npm run invoke:local` (scripts/invoke-local.sh: `serverless invoke local` on the bundled handler) runs the
// handler offline, with no deployed stack to resolve the function's Refs from, here against the sandbox.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, sandboxProcessEnv } from '../../scripts/sandbox-processes.ts';
import type { Report } from '../../src/report/types.ts';
import { type Sandbox, startSandbox } from '../sandbox/server.ts';
import { parseWorld } from '../sandbox/world.ts';
import { copyService, SERVERLESS_QUIET } from '../support/service.ts';
import { assertFindings } from './support/expected-findings.ts';
import { EXTERNAL_ID, focusedWorld } from './support/worlds.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let work: string;
let sandbox: Sandbox;
let run: Run;

beforeAll(async () => {
  // Prepare: the service in a temp directory (invoke local bundles into .esbuild/ beside serverless.yml)
  work = mkdtempSync(join(tmpdir(), 'eks-oidc-auditor-invoke-'));
  copyService(work, ['events', 'scripts']);
  sandbox = await startSandbox(parseWorld(focusedWorld()));
  const env = sandboxProcessEnv(sandbox, {
    PATH: `${join(REPO, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
    ...SERVERLESS_QUIET,
    INVOKE_LOCAL_TIMEOUT: '100',
  });

  // Act: the README's command, with the organization settings a deployment would pass as params
  run = await new Promise<Run>((resolve) =>
    execFile(
      'sh',
      [
        'scripts/invoke-local.sh',
        'events/manual.json',
        '--param=accounts=org',
        `--param=externalId=${EXTERNAL_ID}`,
        // serverless.yml sets AUDIT_CONNECT_TO from this param, over the environment's
        `--param=connectTo=${sandbox.env.AUDIT_CONNECT_TO ?? ''}`,
      ],
      { cwd: work, env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    ),
  );
}, 150_000);

afterAll(async () => {
  await sandbox?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** invoke local prints the handler's log lines, then the returned value as indented JSON. */
function returnedReport(stdout: string): Report {
  const start = stdout.indexOf('\n{\n');
  if (start < 0) throw new Error(`no report in the output:\n${stdout.slice(-2000)}`);
  return JSON.parse(stdout.slice(start)) as Report;
}

describe('npm run invoke:local', () => {
  it('bundles and runs the handler without a deployed stack, returning the report', () => {
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const report = returnedReport(run.stdout);
    expect(report.trigger).toBe('manual');
    assertFindings(report.findings, parseWorld(focusedWorld()).expectedFindings);
    expect(run.stdout).toContain('"message":"publish skipped (dryRun): no metrics or alerts sent"');
  });
});
