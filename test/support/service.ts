// The service as `serverless` commands see it, in a temp copy: packaging or invoking there never leaves
// bundles (.esbuild/, .serverless/) in the checkout, nor picks up stale ones from it.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from '../../scripts/sandbox-processes.ts';

const run = promisify(execFile);
const SERVICE_FILES = ['serverless.yml', 'package.json', 'tsconfig.json', 'src', 'deploy'];

/** Copies the service (and `extra` paths) into `dir`, with the repository's node_modules linked. */
export function copyService(dir: string, extra: string[] = []): void {
  for (const path of [...SERVICE_FILES, ...extra]) {
    cpSync(join(REPO, path), join(dir, path), { recursive: true });
  }
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

/** Environment variables for serverless commands: no telemetry or notices, whatever this shell sets. */
export const SERVERLESS_QUIET = { SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' } as const;

export interface PackagedService {
  /** The packaging output: the zip and the CloudFormation templates. */
  out: string;
  /** cloudformation-template-update-stack.json, parsed. */
  template: unknown;
  remove(): void;
}

/**
 * `serverless package` as a user runs it: offline, with no AWS credentials, profile or instance metadata;
 * `params` as `name=value`, as --param takes them.
 */
export async function packageService(params: string[] = []): Promise<PackagedService> {
  const work = mkdtempSync(join(tmpdir(), 'eks-oidc-auditor-package-'));
  const service = join(work, 'service');
  const out = join(work, 'out');
  copyService(service);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('AWS_')) env[key] = value;
  }
  Object.assign(env, SERVERLESS_QUIET, {
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
    AWS_CONFIG_FILE: join(work, 'no-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  const serverless = join(REPO, 'node_modules', 'osls', 'bin', 'serverless.js');
  const paramArgs = params.map((param) => `--param=${param}`);
  await run(process.execPath, [serverless, 'package', '--package', out, ...paramArgs], {
    cwd: service,
    env,
    timeout: 240_000,
  });
  return {
    out,
    template: JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')),
    remove: () => rmSync(work, { recursive: true, force: true }),
  };
}
