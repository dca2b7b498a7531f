// Which module scripts/run-handler.ts and scripts/run-fan-out.ts invoke: the source's src/handler.ts, or a bundle's
// handler.js (--module), so that the deployment zip's own code runs under the same harness as the source.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** An import specifier: src/handler.ts by default, else `file` resolved against the working directory. */
export function handlerModule(file: string | undefined): string {
  return file === undefined
    ? new URL('../src/handler.ts', import.meta.url).href
    : pathToFileURL(resolve(file)).href;
}
