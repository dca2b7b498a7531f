// The CLI's streams in a test: written like a terminal's or a pipe's, read back as text.
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../../src/cli/main.ts';

export type CapturedStream = NodeJS.WriteStream & { text(): string };

export function captured(isTTY = false): CapturedStream {
  const s = new PassThrough() as unknown as CapturedStream;
  let text = '';
  s.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  Object.assign(s, { isTTY, columns: 100, text: () => text });
  return s;
}

export type CapturedIo = CliIo & { stdout: CapturedStream; stderr: CapturedStream };

/** The CLI run with `argv`, stdout a terminal when `tty`, and the edges given (none: the real ones). */
export function cliIo(argv: string[], tty = false, edges: Pick<CliIo, 'makeDeps'> = {}): CapturedIo {
  return { argv, env: {}, stdout: captured(tty), stderr: captured(false), version: '0.0.0-test', ...edges };
}
