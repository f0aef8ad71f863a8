// What one target's run shares between its steps (orchestrator.ts, cycle/*.ts): the ports, the
// options, the cycles so far, the lease and whether a task of this run is still on the target.
// Outcomes are not kept here: each step returns its own (cycle/record.ts CycleEnd).

import type { CycleRecord } from './cycle/record.ts';
import type { TargetWatch } from './cycle/target-watch.ts';
import type { ConnectorEvent, ConnectorSink, StepLevel } from './events.ts';
import type { HookSettings } from './fleet/hooks.ts';
import type { LeaseLock } from './lock.ts';
import type { Clock, TargetAccess } from './ports.ts';
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
  /**
   * The current cycle's task (and job) exist on the target and are not cleaned up yet. State, not
   * an outcome: it is read when a step did not return (a failure, an interrupt) to clean up.
   */
  taskOnTarget = false;
  currentCycle = 0;

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

  /** Why: the run id once the lock is held (the lease's); every step after the lock needs it. */
  get runId(): string {
    if (this.lease === null) throw new Error('internal: no run id before the lock is held');
    return this.lease.runId;
  }

  /** Why: every event of this run carries its server. */
  emit(event: ConnectorEvent): void {
    if (this.closed) return;
    this.deps.sink(event);
  }

  /** Why: a line of the job output (a "step" event). */
  print(level: StepLevel, text: string): void {
    this.emit({ type: 'step', server: this.server, time: this.clock.now(), level, text });
  }

  /** Why: what the waiting helpers (reboot, servicing, client follow) need of the run. */
  watch(): TargetWatch {
    return {
      target: this.target,
      clock: this.clock,
      clientPath: this.options.clientPath,
      signal: this.deps.signal,
    };
  }

  /** Why: a reboot of this run happened before the cycle that is about to start (codes 9/110). */
  hasRebooted(): boolean {
    return this.history.some((c) => c.rebooted);
  }
}
