// The CLI as `npx eks-oidc-audit` runs it: the bundle `npm run build` writes (dist/cli.js and its chunks), through
// the package's bin. --help answers from the small entry; an audit loads the SDK's chunk and runs for real.
import { beforeAll, describe, expect, it } from 'vitest';
import { runNode, sandboxProcessEnv } from '../scripts/sandbox-processes.ts';
import { useDemoSandbox } from './e2e/support/demo.ts';

describe('the built CLI (npm run build)', () => {
  const demo = useDemoSandbox();
  const env = { PATH: process.env.PATH ?? '' };

  beforeAll(async () => {
    const build = await runNode(['scripts/build-cli.ts'], { env, timeoutMs: 120_000 });
    if (build.code !== 0) throw new Error(`npm run build failed:\n${build.stderr}`);
  }, 150_000);

  it('answers --help and a usage error without an audit', async () => {
    // Act
    const help = await runNode(['bin/eks-oidc-audit.js', '--help'], { env, timeoutMs: 30_000 });
    const usage = await runNode(['bin/eks-oidc-audit.js', '--regions', 'nowhere'], {
      env,
      timeoutMs: 30_000,
    });

    // Assess
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: eks-oidc-audit \[options\]/);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('flag --regions[0]: expected an AWS region name');
  });

  it('audits the demo world, loading the audit from its chunk', async () => {
    // Prepare
    const externalId = demo.world.accounts.find((account) => account.externalId)?.externalId ?? '';

    // Act
    const run = await runNode(
      // With the demo world's Kubernetes sides: the bundle loads the Kubernetes reads from their chunk too.
      [
        'bin/eks-oidc-audit.js',
        '--accounts',
        'org',
        '--external-id',
        externalId,
        '--format',
        'json',
        '--kubernetes',
      ],
      { env: sandboxProcessEnv(demo.sandbox), timeoutMs: 60_000 },
    );

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { findings: unknown[] };
    expect(report.findings).toHaveLength(demo.world.expectedFindings.length);
  });
});
