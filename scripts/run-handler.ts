// Invokes the real Lambda handler (src/handler.ts, as deployed) once, the way the Lambda runtime does: one event,
// a context with a deadline. It reads nothing but its arguments and the environment, so it runs as well against
// the local sandbox (`npm run demo`, test/e2e) as against a real account.
//
//   node scripts/run-handler.ts [EVENT.json] [--event JSON] [--report FILE] [--timeout-seconds N] [--module FILE]
//
// The event defaults to events/manual.json; --module invokes another module's `handler`, such as the handler.js
// of the deployment zip (test/package-zip.test.ts). The handler logs as in Lambda (Powertools JSON lines on stdout, warnings
// and errors on stderr); the report goes to --report FILE, or to stdout after the logs when none is given.
// Exit 0 when the handler returned, 1 when it threw.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { writeReportFile } from '../src/report/formats.ts';
import { writeReportJson } from '../src/report/json.ts';
import { handlerModule } from './handler-module.ts';
import { lambdaContext } from './lambda-context.ts';

const FUNCTION_NAME = 'eks-oidc-auditor-local-audit';
// serverless.yml's `timeout`: the handler sizes its time budget from the time left.
const DEFAULT_TIMEOUT_SECONDS = 900;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      event: { type: 'string' },
      report: { type: 'string' },
      'timeout-seconds': { type: 'string' },
      module: { type: 'string' },
    },
  });
  const event: unknown =
    values.event !== undefined
      ? JSON.parse(values.event)
      : JSON.parse(await readFile(positionals[0] ?? 'events/manual.json', 'utf8'));
  const timeoutMs = Number(values['timeout-seconds'] ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new Error('--timeout-seconds: expected a number > 0');

  const { handler } = (await import(handlerModule(values.module))) as typeof import('../src/handler.ts');
  const report = await handler(event, lambdaContext(FUNCTION_NAME, timeoutMs));
  if (values.report) await writeReportFile(report, values.report);
  else await writeReportJson(report, process.stdout);
  return 0;
}

// Exit explicitly: the SDK's keep-alive sockets would otherwise hold the process until the server drops them.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`run-handler: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
