// What one client run knows so far: every update's outcome, which failed or installed, the
// warnings and the first error. The run's steps (run.ts, run-search.ts, run-operations.ts) share it.

import { hresultName } from '../model/hresult.ts';
import { type CompiledSelection, compileSelection } from '../model/selection.ts';
import type { UpdateInfo, UpdateOutcome, UpdateStatus } from '../model/update.ts';
import type { Job } from '../protocol/job.ts';
import type { RunSummary } from '../protocol/messages.ts';
import { abortable } from './abortable.ts';
import type { EventSink } from './activity-log.ts';
import type { Deadline } from './client-deadline.ts';
import type { InstallerWaitOptions } from './installer-wait.ts';
import type { SystemPort, UpdateAgent } from './ports.ts';

export type RunJob = Pick<Job, 'runId' | 'cycle' | 'mode' | 'selection' | 'source' | 'restart'> &
  Partial<Pick<Job, 'prechecks' | 'selfHeal' | 'uninstall' | 'hide' | 'unhide'>>;

export interface RunDeps {
  job: RunJob;
  agent: UpdateAgent;
  system: SystemPort;
  log: EventSink;
  /** Aborts every agent call: the host going away, or the deadline (which must be part of it). */
  signal: AbortSignal;
  /** The client's own deadline: when it fires the run ends with `client-timeout`, not an abort. */
  deadline?: Deadline | undefined;
  /** Safety stop for the re-search loop (an update that keeps coming back). */
  maxPasses?: number;
  /** Bounds of the wait for a busy installer (tests shorten them). */
  installerWait?: InstallerWaitOptions;
  /** Heartbeat interval during a download or install call (default a minute). */
  heartbeatMs?: number;
}

/** WUA result codes that count as done (OperationResultCode 2 and 3). */
export const SUCCEEDED = new Set(['succeeded', 'succeededWithErrors']);

/** Why: an update's name in messages and in the report: its KB when it has one. */
export function kbOf(u: UpdateInfo): string | null {
  return u.kbs[0] ?? null;
}

/** Why: the shortest name an operator recognises. */
export function label(u: UpdateInfo): string {
  return kbOf(u) ?? u.id;
}

/** Why: an error's message for a log line, whatever was thrown. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Why: the run's memory, shared by its steps. */
export class RunState {
  readonly deps: RunDeps;
  readonly selection: CompiledSelection;
  readonly outcomes = new Map<string, UpdateOutcome>();
  readonly failed = new Set<string>();
  readonly installed = new Set<string>();
  readonly reappeared = new Set<string>();
  unmatched: Set<string> | null = null;
  rebootRequired = false;
  /** The store was reset in this run (--self-heal happens at most once). */
  selfHealed = false;
  error: RunSummary['error'];
  readonly warnings: string[] = [];

  constructor(deps: RunDeps) {
    this.deps = deps;
    this.selection = compileSelection(deps.job.selection);
  }

  get log(): EventSink {
    return this.deps.log;
  }

  /** Why: every agent call stops at once when the run is aborted (reboot, signal). */
  call<T>(p: Promise<T>): Promise<T> {
    return abortable(p, this.deps.signal);
  }

  /** Why: the first error is the one the summary reports. */
  setError(kind: string, message: string, hresult?: number): void {
    if (this.error) return;
    this.error = { kind, message, ...(hresult === undefined ? {} : { hresult }) };
  }

  /** Why: a failed update is not retried in this run and carries its HRESULT into the report. */
  fail(u: UpdateInfo, hresult: number, message: string): void {
    this.failed.add(u.id);
    this.setOutcome(u, 'failed', {
      hresult: hresult >>> 0,
      hresultName: hresultName(hresult),
      message,
      cycle: this.deps.job.cycle,
    });
  }

  /** Why: one outcome per update, the latest status wins. */
  setOutcome(u: UpdateInfo, status: UpdateStatus, extra: Partial<UpdateOutcome> = {}): void {
    this.outcomes.set(u.id, {
      id: u.id,
      kb: kbOf(u),
      title: u.title,
      classification: u.classification,
      severity: u.severity,
      sizeBytes: u.sizeBytes,
      ...(u.published ? { published: u.published } : {}),
      status,
      ...extra,
    });
  }
}
