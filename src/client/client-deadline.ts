// The client's own deadline (the job's clientTimeoutSeconds). A task the connector starts with
// /Run has no ExecutionTimeLimit ("If a task is started on demand, the ExecutionTimeLimit setting
// is bypassed", docs/windows-facts.md), so only this ends a client stuck in WUA; the run then
// stops, reports `client-timeout` and still hands its log over (docs/client.md#the-deadline).

export interface Deadline {
  /** Fires when the deadline passes; never, for a job without one. */
  signal: AbortSignal;
  /** The deadline as the job gave it, for messages. */
  seconds: number | undefined;
  clear(): void;
}

/** Why: one timer per run, cleared when the run ends however it ends. */
export function startDeadline(seconds: number | undefined): Deadline {
  const ctl = new AbortController();
  const timer =
    seconds === undefined
      ? undefined
      : setTimeout(() => ctl.abort(new Error(`the client's deadline of ${seconds}s passed`)), seconds * 1000);
  return { signal: ctl.signal, seconds, clear: () => clearTimeout(timer) };
}

/** Why: the error a run stopped by its deadline reports, saying what happened and what to do. */
export function deadlineMessage(seconds: number | undefined): string {
  return (
    `the client's deadline of ${seconds ?? '?'}s (--client-timeout) passed before the run finished; ` +
    'the run was stopped and its log handed over. Look at the last step in the log; if the work is ' +
    'simply long, run again with a longer --client-timeout'
  );
}
