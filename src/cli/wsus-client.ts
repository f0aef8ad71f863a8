// The real `wsus-client` process: builds the process host, runs clientMain, and reports its
// result through process.exitCode (never process.exit, so stdout is flushed first).
import { clientMain } from '../client/main.ts';
import { createProcessHost } from '../client/process-host.ts';
import { abortOnSignals } from './abort-on-signals.ts';

// First signal: stop promptly and clean up.
const stop = abortOnSignals();

const host = createProcessHost({ signal: stop.signal });
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
    stop.dispose();
    // stdin may have been read (relay); release it so the process can exit.
    process.stdin.destroy();
  });
