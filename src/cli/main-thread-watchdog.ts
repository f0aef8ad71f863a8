// A run ends with a result line whatever happens, but a hang inside Node itself stops the main
// thread for good (a native lock that a garbage collection waits on: docs/scale.md "A hang in
// Node's crypto"), and nothing on that thread can notice. A worker thread watches a counter that
// the main thread steps every second. When it has not moved for the bound, the worker writes the
// error and the result line straight to the process's stderr and stdout and kills the process, so
// the scheduler sees a failure instead of a job that never ends (docs/result-codes.md, internal).
import { Worker } from 'node:worker_threads';

export interface WatchdogOptions {
  /** How long the main thread may go without a turn of its event loop. */
  boundMs: number;
  /** How often the main thread steps the counter and the worker looks at it. */
  beatMs?: number;
}

/** Runs in the worker: plain JavaScript, so the bundles and the Windows executable carry it as text. */
const WATCHER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const beats = new Int32Array(workerData.shared);
let seen = Atomics.load(beats, 0);
let since = performance.now();
setInterval(() => {
  const now = Atomics.load(beats, 0);
  if (now !== seen) {
    seen = now;
    since = performance.now();
    return;
  }
  if (performance.now() - since < workerData.boundMs) return;
  try {
    writeSync(2, workerData.message);
    writeSync(1, 'Result code: -10\\n');
  } finally {
    process.kill(process.pid, 'SIGKILL');
  }
}, workerData.beatMs);
`;

/**
 * Why: a hung main thread becomes a failure with a result line within the bound. Returns the
 * stop function; neither the worker nor the beat keeps the process alive. A runtime without
 * worker threads runs without the watchdog.
 */
export function startMainThreadWatchdog(options: WatchdogOptions): () => void {
  const beatMs = options.beatMs ?? 1000;
  const shared = new SharedArrayBuffer(4);
  const beats = new Int32Array(shared);
  const seconds = Math.round(options.boundMs / 1000);
  const message =
    `wsus-connector: internal error: the connector's main thread has not run for ${seconds} s ` +
    '(a hang inside Node or the system); ending the process so that the job does not wait forever\n';
  let worker: Worker;
  try {
    worker = new Worker(WATCHER, {
      eval: true,
      workerData: { shared, boundMs: options.boundMs, beatMs, message },
      // The watcher needs nothing of the process's loaders (tsx under the tests): a worker that
      // inherited them would wait on the main thread to start.
      execArgv: [],
      stdout: false,
      stderr: false,
    });
  } catch {
    return () => {};
  }
  worker.on('error', () => {});
  worker.unref();
  const beat = setInterval(() => Atomics.add(beats, 0, 1), beatMs);
  beat.unref();
  return () => {
    clearInterval(beat);
    void worker.terminate();
  };
}
