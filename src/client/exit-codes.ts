// Exit codes of `wsus-client` (docs/client.md). The scheduled task's Last Result shows them, so
// the connector can tell "ran and reported" from "never got going" without the log.

export const CLIENT_EXIT = {
  /** The run completed and the connector acknowledged run.end (failed updates are in the summary). */
  ok: 0,
  /** The run itself failed (search failed, servicing in progress, crash); run.end carries `error`. */
  runFailed: 1,
  /** Usage or job-file error: nothing was done. */
  usage: 2,
  /** The run completed but no connector acknowledged run.end in time; no reboot. */
  noAck: 3,
  /** The pipe could not be opened (another process serves that name): nothing was done. */
  pipeUnavailable: 4,
  /** Stopped by the host (signal / lab reboot). */
  aborted: 130,
} as const;
