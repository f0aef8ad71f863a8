// SIGINT/SIGTERM as an AbortSignal, for every long-running entry point (the CLIs, `npm start`,
// `wsus-connector lab`): the first signal asks the work to stop cleanly; after it the handlers
// are gone, so a second signal gets Node's default and kills the process.

export interface SignalAbort {
  signal: AbortSignal;
  /** Removes the handlers (the work ended on its own). */
  dispose(): void;
}

/** Why: one place that turns process signals into a cooperative stop. */
export function abortOnSignals(): SignalAbort {
  const controller = new AbortController();
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
