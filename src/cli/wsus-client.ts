// The real `wsus-client` process: builds the process host, runs clientMain, and reports its
// result through process.exitCode (never process.exit, so stdout is flushed first).
import { clientMain } from '../client/main.ts';
import { createProcessHost } from '../client/process-host.ts';

const controller = new AbortController();
const onSignal = (name: NodeJS.Signals) => {
  // First signal: stop promptly and clean up; a second one falls back to Node's default.
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  controller.abort(new Error(`received ${name}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const host = createProcessHost({ signal: controller.signal });
clientMain(process.argv.slice(2), host)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `wsus-client: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    },
  )
  .finally(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // stdin may have been read (relay); release it so the process can exit.
    process.stdin.destroy();
  });
