// The real `wsus-connector` process: wires process stdio, env and signals into connectorMain and
// reports through process.exitCode (never process.exit, so the job output is flushed first).
import { setFlagsFromString } from 'node:v8';
import { abortOnSignals } from './abort-on-signals.ts';
import { connectorMain, type LabRunner, processIo } from './connector-main.ts';
import { startMainThreadWatchdog } from './main-thread-watchdog.ts';

/** Why: one process wiring for the npm bin (with the lab) and the shipped Windows executable (without). */
export function runConnectorProcess(lab?: LabRunner): void {
  const argv = process.argv.slice(2);
  // A fleet's connector allocates fast and keeps little (a live heap of 45-70 MB at 1,000
  // servers), and V8 lets the old space grow to several times that before a major collection:
  // the peak RSS was that garbage. Collecting once it has grown by half keeps the peak near
  // 200 MB for a few more collections of a tenth of a second each (docs/scale.md). V8 reads this
  // at every collection, so it can be set here; the lab emulates servers and keeps its default.
  if (argv[0] !== 'lab') setFlagsFromString('--heap-growing-percent=50');
  // A main thread hung inside Node still ends a run with a result line, within 5 minutes.
  const stopWatchdog = argv[0] === 'run' ? startMainThreadWatchdog({ boundMs: 5 * 60_000 }) : () => {};
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
  connectorMain(argv, { ...processIo(stop.signal), lab })
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
      stopWatchdog();
      // The result line and the report are out: a connection still closing (or a bounded remote
      // call still waiting) must not keep the process alive. stdout has flushed by then.
      setTimeout(() => process.exit(), 3000).unref();
    });
}
