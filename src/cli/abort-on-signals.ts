// SIGINT/SIGTERM as an AbortSignal, for every long-running entry point (the CLIs, `npm start`,
// `wsus-connector lab`): the first signal asks the work to stop cleanly; after it the handlers
// are gone, so a second signal gets Node's default and kills the process.

import { setMaxListeners } from 'node:events';

export interface SignalAbort {
  signal: AbortSignal;
  /** Removes the handlers (the work ended on its own). */
  dispose(): void;
}

/** Why: one place that turns process signals into a cooperative stop. */
export function abortOnSignals(): SignalAbort {
  const controller = new AbortController();
  // Every server of a fleet waits on this one signal (polls, lease renewals): 1,000 listeners is normal.
  setMaxListeners(0, controller.signal);
  const onSignal = (name: NodeJS.Signals) => {
    dispose();
    controller.abort(new Error(`received ${name}`));
  };
  const dispose = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: controller.signal, dispose };
}
