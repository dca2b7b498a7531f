import { defaultDeps, defaultPublishDepsFor } from '../deps.ts';
import type { CliIo } from './io.ts';

/** The CLI's edges; the publish step's warnings go to stderr through `say`. */
export function cliEdges(io: CliIo, say: (line: string) => void) {
  const log = { info: () => {}, warn: (message: string) => say(`warning: ${message}`) };
  return {
    makeDeps: io.makeDeps ?? ((config, extra) => defaultDeps(config, io.env, extra)),
    makePublishDeps:
      io.makePublishDeps ?? ((config, signal) => defaultPublishDepsFor(config, io.env, log, signal)),
  } satisfies Required<Pick<CliIo, 'makeDeps' | 'makePublishDeps'>>;
}
