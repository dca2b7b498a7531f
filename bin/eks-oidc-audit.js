#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=16 --expose-gc
// The package's bin: checks the Node version before loading the bundle (dist/cli.js, built by `npm pack` or
// `npm run build`), whose imports would otherwise fail to link on an older Node with an error that says nothing
// useful. 24 is what the bundle is built for and tested on (the Lambda's nodejs24.x); package.json's engines says
// the same, but npm only warns about it.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `eks-oidc-audit needs Node.js 24 or later, and this is ${process.version}: install Node.js 24 and run it ` +
      'again. From a checkout, `npx eks-oidc-audit` and `npm run audit` use the Node 24 that `npm install` brought.\n',
  );
  process.exit(1);
}
// Node's on-disk compile cache (in the OS temp directory): the second and later runs skip compiling the bundle.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
try {
  await import('../dist/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) throw error;
  process.stderr.write('eks-oidc-audit: dist/cli.js is missing; run `npm run build` first.\n');
  process.exit(1);
}
