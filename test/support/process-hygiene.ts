// The unit project runs its files one after another in a shared process (isolate: false in vitest.config.ts), so
// what one file changes of the process must not reach the next. Run before each file, this undoes at its end what
// a file could leave behind through vitest, whether or not the file undid it itself.
import { afterAll, vi } from 'vitest';

afterAll(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
});
