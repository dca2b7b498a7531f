// Bundles the CLI into dist/cli.js, which the package's bin (bin/eks-oidc-audit.js) loads, so that
// `npx eks-oidc-audit` needs no TypeScript at run time.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
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
