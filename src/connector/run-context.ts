// What one target's run shares between its steps (orchestrator.ts, cycle-*.ts): the ports, the
// options, the cycles so far, the lease and whether a task of this run is still on the target.

import type { ReportDeadline } from '../model/report.ts';
import type { RebootWatch } from './cycle/host-wait.ts';
import type { CycleRecord } from './cycle/record.ts';
import type { ConnectorEvent, ConnectorSink, StepLevel } from './events.ts';
import type { HookSettings } from './fleet/hooks.ts';
import type { LeaseLock } from './lock.ts';
import type { ClientStatus, Clock, TargetAccess } from './ports.ts';
import type { TargetRunOptions } from './run-options.ts';

export interface TargetRunDeps {
  target: TargetAccess;
  clock: Clock;
  options: TargetRunOptions;
  sink: ConnectorSink;
  signal?: AbortSignal | undefined;
  /** Extra header lines (transport, inventory...) the caller knows about. */
  header?: [string, string][] | undefined;
  newRunId?: ((nowMs: number) => string) | undefined;
  newToken?: (() => string) | undefined;
  /** false when lock.json's holder is known to be dead (same machine, no such process). */
  holderAlive?: ((holder: string) => boolean | undefined) | undefined;
  /** Controller hooks (before-reboot, after-reboot here; the fleet runs the per-server ones). */
  hooks?: HookSettings | undefined;
  /** End of the maintenance window: no new cycle and no new reboot after it. */
  deadline?: { ms: number; flag: string } | undefined;
  /** The JSON report's path, for the hooks' WSUS_REPORT. */
  reportPath?: string | undefined;
}

/** Why: one object the run's steps share, so each step lives in a file of its own. */
export class RunContext {
  readonly deps: TargetRunDeps;
  readonly options: TargetRunOptions;
  readonly server: string;
  readonly history: CycleRecord[] = [];
  lease: LeaseLock | null = null;
  runId: string | null = null;
  /** The current cycle's task (and job) exist on the target and are not cleaned up yet. */
  dirty = false;
  currentCycle = 0;
  /** What the maintenance window kept from starting (then the run ends with a warning). */
  deadlineStop: ReportDeadline | null = null;
  /** A before-reboot hook failed: the run ends with error.kind "hook". */
  hookFailure: string | null = null;
  /** Extra warnings for the report (an after-reboot hook that failed). */
  readonly notes: string[] = [];
  /** The status that ended a reboot wait, for the next cycle's readiness check (used once). */
  rebootStatus: { status: ClientStatus; at: number } | null = null;

  constructor(deps: TargetRunDeps) {
    this.deps = deps;
    this.options = deps.options;
    this.server = deps.target.server;
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  get target(): TargetAccess {
    return this.abandoned ?? this.deps.target;
  }

  private abandoned: TargetAccess | null = null;
  private closed = false;

  /**
   * Why: after an interrupt the run's steps still in flight are abandoned: from then on they get
   * an abort for every remote call (only close() passes), so nothing more is done on the target.
   */
  abandon(): void {
    const real = this.deps.target;
    this.abandoned = new Proxy(real, {
      get(t, prop, receiver) {
        const v = Reflect.get(t, prop, receiver);
        if (typeof v !== 'function' || prop === 'close') return typeof v === 'function' ? v.bind(t) : v;
        return () => Promise.reject(Object.assign(new Error('interrupted'), { name: 'AbortError' }));
      },
    });
  }

  /** Why: once the result is out, an abandoned step can print nothing more. */
  close(): void {
    this.closed = true;
  }

  /** Why: the run id once the lock is held; every step after the lock needs it. */
  get run(): string {
    if (this.runId === null) throw new Error('internal: no run id before the lock is held');
    return this.runId;
  }

  /** Why: every event of this run carries its server. */
  emit(event: ConnectorEvent): void {
    if (this.closed) return;
    this.deps.sink(event);
  }

  /** Why: a step line of the job output. */
  step(level: StepLevel, text: string): void {
    this.emit({ type: 'step', server: this.server, time: this.clock.now(), level, text });
  }

  /** Why: what the waiting helpers (reboot, servicing, client follow) need of the run. */
  watch(): RebootWatch {
    return {
      target: this.target,
      clock: this.clock,
      clientPath: this.options.clientPath,
      signal: this.deps.signal,
    };
  }

  /** Why: a reboot of this run happened before the cycle that is about to start (codes 9/110). */
  afterReboot(): boolean {
    return this.history.some((c) => c.rebooted);
  }
}
