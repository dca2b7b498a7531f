import { ConfigError } from '../config/errors.ts';
import { describeOutcome, PublishError } from '../publish/index.ts';
import { NoCredentialsError } from '../scope/caller.ts';
import { OutputError } from './output.ts';

/** What the user reads when the run failed, one printable line at a time; DEBUG adds the stack. */
export function explainFailure(
  error: unknown,
  say: (line: string) => void,
  debug: (stack: string) => void,
): void {
  // A configuration read at the start of the run (the accepted risks) that is unusable: nothing was audited.
  if (error instanceof NoCredentialsError || error instanceof OutputError || error instanceof ConfigError) {
    say(error.message);
  } else if (error instanceof PublishError) {
    // The report is already out: publishing failed after sending what it could.
    say(error.message);
    say(`sent: ${describeOutcome(error.outcome)}`);
  } else {
    say(`audit failed: ${(error as Error).message?.split('\n')[0] ?? String(error)}`);
    debug(`${(error as Error).stack}`);
  }
}
