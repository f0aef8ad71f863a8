// The real `wsus-connector` process: wires process stdio, env and signals into connectorMain and
// reports through process.exitCode (never process.exit, so the job output is flushed first).
import { abortOnSignals } from './abort-on-signals.ts';
import { connectorMain, type LabRunner, processIo } from './connector-main.ts';

/** Why: one process wiring for the npm bin (with the lab) and the shipped Windows executable (without). */
export function runConnectorProcess(lab?: LabRunner): void {
  // First signal: stop waiting, keep the lock record so a rerun resumes.
  const stop = abortOnSignals();
  // Last line of defence: if the event loop ever empties while the run is still pending (a remote
  // call that can never settle), Node would exit 0 silently. Say so, with an internal result.
  let settled = false;
  const stalled = () => {
    if (settled) return;
    settled = true;
    process.stderr.write(
      'wsus-connector: internal error: the run stopped with work pending and nothing left to wait on\n',
    );
    process.stdout.write('Result code: -10\n');
    process.exitCode = 70;
  };
  process.once('beforeExit', stalled);
  connectorMain(process.argv.slice(2), { ...processIo(stop.signal), lab })
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
      settled = true;
      process.off('beforeExit', stalled);
      stop.dispose();
      // The result line and the report are out: a connection still closing (or a bounded remote
      // call still waiting) must not keep the process alive. stdout has flushed by then.
      setTimeout(() => process.exit(), 3000).unref();
    });
}
