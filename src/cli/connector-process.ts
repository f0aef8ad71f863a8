// The real `wsus-connector` process: wires process stdio, env and signals into connectorMain and
// reports through process.exitCode (never process.exit, so the job output is flushed first).
import { abortOnSignals } from './abort-on-signals.ts';
import { connectorMain, type LabRunner } from './connector-main.ts';

/** Why: one process wiring for the npm bin (with the lab) and the shipped Windows executable (without). */
export function runConnectorProcess(lab?: LabRunner): void {
  // First signal: stop waiting, keep the lock record so a rerun resumes.
  const stop = abortOnSignals();
  connectorMain(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    platform: process.platform,
    cwd: process.cwd(),
    signal: stop.signal,
    lab,
  })
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err: unknown) => {
        process.stderr.write(
          `wsus-connector: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
        );
        process.exitCode = 70;
      },
    )
    .finally(() => {
      stop.dispose();
      // The run is over and its report written: a stray handle (a socket a server never closed)
      // must not keep a scheduler's job open. Unref'd, so a clean exit never waits for it.
      setTimeout(() => process.exit(), 10_000).unref();
    });
}
