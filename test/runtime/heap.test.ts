// The heap flags (and the allocator's environment) are given in four places (src/runtime/heap.ts explains why):
// they must agree, and Node must take them where each is given.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  LAMBDA_START_FLAGS,
  MALLOC_ENVIRONMENT,
  MERGE_START_FLAGS,
  NODE_START_FLAGS,
} from '../../src/runtime/heap.ts';

/** The start of the CLI's shebang and `npm run audit`: the allocator's environment, then node with its flags. */
const CLI_COMMAND = `${Object.entries(MALLOC_ENVIRONMENT)
  .map(([name, value]) => `${name}=${value}`)
  .join(' ')} node ${NODE_START_FLAGS.join(' ')}`;

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('heap tuning', () => {
  it('starts the CLI bin, npm run audit and the Lambda with the same start flags', () => {
    // Prepare
    const shebangs = ['src/cli.ts', 'bin/eks-oidc-audit.js'].map((path) => read(path).split('\n')[0]);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const service = yaml.load(read('serverless.yml')) as {
      provider: { environment: Record<string, string> };
      custom: { mergeEnvironment: Record<string, string> };
    };

    // Assess
    for (const shebang of shebangs) expect(shebang).toBe(`#!/usr/bin/env -S ${CLI_COMMAND}`);
    expect(scripts.audit).toBe(`${CLI_COMMAND} src/cli.ts`);
    expect(service.provider.environment.NODE_OPTIONS).toBe(LAMBDA_START_FLAGS.join(' '));
    expect(service.provider.environment).toMatchObject(MALLOC_ENVIRONMENT);
    expect(service.custom.mergeEnvironment.NODE_OPTIONS).toBe(MERGE_START_FLAGS.join(' '));
  });

  it.each([
    ['the CLI', NODE_START_FLAGS],
    ['the Lambda functions', LAMBDA_START_FLAGS],
    ['the merge function', MERGE_START_FLAGS],
  ])('gives start flags that Node accepts in NODE_OPTIONS: %s', (_name, flags) => {
    // Act
    const result = spawnSync(process.execPath, ['-e', '0'], {
      env: { ...process.env, NODE_OPTIONS: flags.join(' ') },
      encoding: 'utf8',
    });

    // Assess
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('lets the Lambda heap take three quarters of memory, where V8 alone stops at a quarter', () => {
    // Prepare
    const heapLimitShare = (nodeOptions: string) => {
      const script =
        "const v8 = require('node:v8'); const os = require('node:os');" +
        // A cgroup limit when there is one (Lambda), else the machine's memory; as Node does.
        'const memory = Math.min(process.constrainedMemory() || Infinity, os.totalmem());' +
        'console.log(v8.getHeapStatistics().heap_size_limit / memory);';
      const result = spawnSync(process.execPath, ['-e', script], {
        env: { ...process.env, NODE_OPTIONS: nodeOptions },
        encoding: 'utf8',
      });
      return Number(result.stdout);
    };

    // Act
    const lambda = heapLimitShare(LAMBDA_START_FLAGS.join(' '));
    const merge = heapLimitShare(MERGE_START_FLAGS.join(' '));

    // Assess: the limit also counts the young generation, hence not exactly 0.75
    expect(lambda).toBeGreaterThan(0.74);
    expect(lambda).toBeLessThan(0.8);
    expect(merge).toBeGreaterThan(0.74);
    expect(merge).toBeLessThan(0.8);
  });

  it('collects the whole heap as the judging phase starts, with the start flags that expose gc', () => {
    // Act: in a child started as the CLI is, watching its collections
    const result = spawnSync(
      process.execPath,
      [
        ...NODE_START_FLAGS,
        '--input-type=module',
        '-e',
        `import { constants, PerformanceObserver } from 'node:perf_hooks';
         import { heapPolicy } from ${JSON.stringify(new URL('../../src/runtime/heap.ts', import.meta.url).href)};
         const kinds = [];
         const observer = new PerformanceObserver((list) => kinds.push(...list.getEntries().map((e) => e.detail.kind)));
         observer.observe({ entryTypes: ['gc'] });
         heapPolicy.judging();
         setTimeout(() => { observer.disconnect(); console.log(kinds.includes(constants.NODE_PERFORMANCE_GC_MAJOR)); }, 200);`,
      ],
      { encoding: 'utf8' },
    );

    // Assess
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('true');
  });

  it('sets run-time flags V8 knows, at start and for each phase (an unknown one makes V8 print "unrecognized flag" and go on)', () => {
    // Act: in a child, so this worker's heap is left alone
    const result = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { heapPolicy, tuneHeapForAudit } from ${JSON.stringify(new URL('../../src/runtime/heap.ts', import.meta.url).href)};
         tuneHeapForAudit();
         heapPolicy.reading();
         heapPolicy.judging();
         console.log('tuned');`,
      ],
      { encoding: 'utf8' },
    );

    // Assess
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('tuned');
  });
});
