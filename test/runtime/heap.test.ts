// The heap flags are given in four places (src/runtime/heap.ts explains why): they must agree, and Node must
// take them where each is given.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { NODE_START_FLAGS } from '../../src/runtime/heap.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('heap tuning', () => {
  it('starts the CLI bin, npm run audit and the Lambda with the same start flags', () => {
    // Prepare
    const shebangs = ['src/cli.ts', 'bin/eks-oidc-audit.js'].map((path) => read(path).split('\n')[0]);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const service = yaml.load(read('serverless.yml')) as {
      provider: { environment: Record<string, string> };
    };

    // Assess
    for (const shebang of shebangs)
      expect(shebang).toBe(`#!/usr/bin/env -S node ${NODE_START_FLAGS.join(' ')}`);
    expect(scripts.audit).toBe(`node ${NODE_START_FLAGS.join(' ')} src/cli.ts`);
    expect(service.provider.environment.NODE_OPTIONS).toBe(NODE_START_FLAGS.join(' '));
  });

  it('gives start flags that Node accepts in NODE_OPTIONS', () => {
    // Act
    const result = spawnSync(process.execPath, ['-e', '0'], {
      env: { ...process.env, NODE_OPTIONS: NODE_START_FLAGS.join(' ') },
      encoding: 'utf8',
    });

    // Assess
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('sets a run-time flag V8 knows (an unknown one makes V8 print "unrecognized flag" and go on)', () => {
    // Act: in a child, so this worker's heap is left alone
    const result = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { tuneHeapForAudit } from ${JSON.stringify(new URL('../../src/runtime/heap.ts', import.meta.url).href)};
         tuneHeapForAudit();
         console.log('tuned');`,
      ],
      { encoding: 'utf8' },
    );

    // Assess
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('tuned');
  });
});
