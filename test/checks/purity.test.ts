// The pure rooms (checks, trust analysis, AWS naming rules) must stay free of the SDK and the network: they are
// tested on plain data and must give the same answer offline (README "How it works").

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const PURE_ROOMS = ['src/checks', 'src/facts', 'src/naming'];

const NETWORK_MODULES = ['net', 'tls', 'http', 'https', 'http2', 'dns', 'dgram', 'child_process'];

function isForbidden(specifier: string): boolean {
  if (specifier.startsWith('@aws-sdk/')) return true;
  const bare = specifier.replace(/^node:/, '');
  return NETWORK_MODULES.some((name) => bare === name || bare.startsWith(`${name}/`));
}

// Static imports and re-exports (`from '...'`, side-effect `import '...'`), dynamic `import('...')`, `require('...')`.
const SPECIFIER =
  /\bfrom\s*(['"])([^'"]+)\1|\bimport\s*(['"])([^'"]+)\3|\b(?:import|require)\s*\(\s*(['"`])([^'"`]+)\5\s*\)/g;

/** The module specifiers a source file loads that a pure room must not. */
function forbiddenImports(source: string): string[] {
  return [...source.matchAll(SPECIFIER)]
    .map((match) => match[2] ?? match[4] ?? match[6] ?? '')
    .filter(isForbidden);
}

function sourceFiles(room: string): string[] {
  const dir = join(ROOT, room);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(name))
    .map((name) => join(dir, name));
}

describe('forbiddenImports', () => {
  it.each([
    {
      name: 'an SDK client',
      source: "import { IAMClient } from '@aws-sdk/client-iam';",
      found: ['@aws-sdk/client-iam'],
    },
    {
      name: 'a type-only SDK import',
      source: "import type { Cluster } from '@aws-sdk/client-eks';",
      found: ['@aws-sdk/client-eks'],
    },
    { name: 'node:tls', source: "import { connect } from 'node:tls';", found: ['node:tls'] },
    { name: 'bare https', source: 'import * as https from "https";', found: ['https'] },
    {
      name: 'dns/promises',
      source: "import { lookup } from 'node:dns/promises';",
      found: ['node:dns/promises'],
    },
    { name: 'a side-effect import', source: "import 'node:net';", found: ['node:net'] },
    {
      name: 'a multi-line import',
      source: "import {\n  request,\n  get,\n} from 'node:http';",
      found: ['node:http'],
    },
    { name: 'a re-export', source: "export { connect } from 'tls';", found: ['tls'] },
    {
      name: 'a dynamic import',
      source: "const sdk = await import('@aws-sdk/client-sts');",
      found: ['@aws-sdk/client-sts'],
    },
    { name: 'require', source: "const cp = require('child_process');", found: ['child_process'] },
  ])('catches $name', ({ source, found }) => {
    // Act
    const result = forbiddenImports(source);

    // Assess
    expect(result).toEqual(found);
  });

  it.each([
    { name: 'node:crypto (hashing is pure)', source: "import { createHash } from 'node:crypto';" },
    { name: 'a sibling module', source: "import { parseArn } from '../aws/arn.ts';" },
    {
      name: 'a module whose name merely starts like one',
      source: "import x from 'network-names'; import y from 'httpsig';",
    },
  ])('allows $name', ({ source }) => {
    // Act
    const result = forbiddenImports(source);

    // Assess
    expect(result).toEqual([]);
  });
});

describe('pure rooms', () => {
  it.each(PURE_ROOMS)('%s imports neither the AWS SDK nor a network module', (room) => {
    // Prepare
    const files = sourceFiles(room);

    // Act
    const violations = files.flatMap((file) =>
      forbiddenImports(readFileSync(file, 'utf8')).map(
        (specifier) => `${relative(ROOT, file)}: ${specifier}`,
      ),
    );

    // Assess
    expect(files.length).toBeGreaterThan(0);
    expect(violations).toEqual([]);
  });
});
