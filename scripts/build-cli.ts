// Bundles the CLI into dist/cli.js, which the package's bin (bin/eks-oidc-audit.js) loads, so that
// `npx eks-oidc-audit` needs no TypeScript at run time. Split at src/cli/main.ts's dynamic import: flags, --help,
// --list-checks and usage errors load a small entry; the SDK and the audit load from a chunk when a run starts.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  // Some SDK dependencies are CommonJS and call require(); an ESM bundle needs one provided.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
