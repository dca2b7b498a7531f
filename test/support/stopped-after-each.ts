// Servers a test starts are stopped after it, whatever its outcome, so that a failed test leaves no server
// running into the next.
import { afterEach } from 'vitest';

interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Registers an afterEach (call it at the top of a test file) that stops every server handed to the returned
 * function during the test; that function gives the server back.
 */
export function stoppedAfterEach(): <T extends Stoppable>(server: T) => T {
  let running: Stoppable[] = [];
  afterEach(async () => {
    await Promise.all(running.map((server) => server.stop()));
    running = [];
  });
  return (server) => {
    running.push(server);
    return server;
  };
}
