// The client's own deadline and the task lifetime sized from it. "If a task is started on demand,
// the ExecutionTimeLimit setting is bypassed" (docs/windows-facts.md, ITaskSettings): the connector
// starts its task with /Run, so only the client's deadline (carried in the job file) ends a stuck
// run, and the task's EndBoundary must outlast that deadline plus the ack wait.
import type { RunMode } from '../../model/result-codes.ts';
import type { TargetRunOptions } from '../run-options.ts';

/** Default deadline by the work a mode does: a search; downloads; downloads and installs. */
export const DEFAULT_CLIENT_TIMEOUT_MS: Record<RunMode, number> = {
  check: 60 * 60_000,
  download: 4 * 3_600_000,
  install: 8 * 3_600_000,
};

/** What the client may still do after its deadline fires: close the agent and hand over the log. */
const WIND_DOWN_MS = 10 * 60_000;

/** Why: --client-timeout, or the default for the run's work. */
export function clientTimeoutMs(opts: Pick<TargetRunOptions, 'mode' | 'clientTimeoutMs'>): number {
  return opts.clientTimeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS[opts.mode];
}

/**
 * Why: the longest a cycle's client can live: its deadline, the wait for the ack, and a wind-down.
 * The task's ExecutionTimeLimit (effective on a trigger start) and EndBoundary both derive from it.
 */
export function clientLifetimeMs(
  opts: Pick<TargetRunOptions, 'mode' | 'clientTimeoutMs' | 'ackTimeoutSeconds'>,
): number {
  return clientTimeoutMs(opts) + opts.ackTimeoutSeconds * 1000 + WIND_DOWN_MS;
}

/** Why: an xs:duration in whole seconds (PT…S is valid task XML). */
export function xsSeconds(ms: number): string {
  return `PT${Math.ceil(ms / 1000)}S`;
}
