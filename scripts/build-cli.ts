// Bundles the CLI into dist/cli.js, which the package's bin (bin/eks-oidc-audit.js) loads, so that
// `npx eks-oidc-audit` needs no TypeScript and no dependency at run time. Split at src/cli/main.ts's dynamic
// import: flags, --help, --list-checks and usage errors load a small entry; the SDK and the audit load from a chunk
// when a run starts. Run by `npm run build` and by `npm pack` (prepack).
import { build } from 'esbuild';
import { readServerlessConfig } from './serverless-config.ts';

// How modules resolve and what the output is (ES modules, Node 24, the SDK's ES builds, a require() for the
// CommonJS code that remains) come from the Lambda bundle's options in serverless.yml, so an import that works in
// one bundle works in the other. The SDK's CommonJS builds broke `const { EC2Client } = await import(...)` here.
const SHARED = ['format', 'platform', 'target', 'mainFields', 'banner'] as const;

const { custom } = await readServerlessConfig<{ custom: { esbuild: Record<string, unknown> } }>();
const shared = Object.fromEntries(SHARED.map((key) => [key, custom.esbuild[key]]));

await build({
  ...shared,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
});
