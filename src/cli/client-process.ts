// The real `wsus-client` process: builds the process environment with the platform's adapters,
// runs clientMain, and reports its result through process.exitCode (never process.exit, so
// stdout is flushed first).
import { clientMain } from '../client/main.ts';
import { type ClientPlatform, createProcessEnv } from '../client/process-env.ts';
import { abortOnSignals } from './abort-on-signals.ts';

/** Why: one process wiring for the npm bin (with the lab agent) and the shipped executable (without). */
export function runClientProcess(platform: ClientPlatform): void {
  // First signal: stop promptly and clean up.
  const stop = abortOnSignals();
  const env = createProcessEnv({ signal: stop.signal, platform: platform });
  clientMain(process.argv.slice(2), env)
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
}
