// Bundles the CLI into dist/cli.js, which the package's bin (bin/eks-oidc-audit.js) loads, so that
// `npx eks-oidc-audit` needs no TypeScript and no dependency at run time. Split at src/cli/main.ts's dynamic
// import: flags, --help, --list-checks and usage errors load a small entry; the SDK and the audit load from a chunk
// when a run starts. Run by `npm run build` and by `npm pack` (prepack).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { readServerlessConfig } from './serverless-config.ts';

// How modules resolve and what the output is (ES modules for Node 24, the SDK's ES builds first, a require() for
// the CommonJS code that remains, minified with names kept and no source map) come from the Lambda bundle's options
// in serverless.yml, so an import that works in one bundle works in the other. The SDK's CommonJS builds broke
// `const { EC2Client } = await import(...)` here; kept names keep a user's stack trace readable without a map.
const SHARED = [
  'format',
  'platform',
  'target',
  'mainFields',
  'banner',
  'minify',
  'keepNames',
  'sourcemap',
] as const;

const { custom } = await readServerlessConfig<{ custom: { esbuild: Record<string, unknown> } }>();
const shared = Object.fromEntries(SHARED.map((key) => [key, custom.esbuild[key]]));

// From scratch: chunks of an earlier build would otherwise be packed with this one.
rmSync('dist', { recursive: true, force: true });
await build({
  ...shared,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  legalComments: 'none',
});
