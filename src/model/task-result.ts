// The Task Scheduler's own "Last Result" values (docs/windows-facts.md, Task Scheduler result
// codes) that the connector, the windows adapter and the lab's emulation all reason about; a
// client exit code is anything else.

export const SCHED_S_TASK_RUNNING = 267009;
export const SCHED_S_TASK_HAS_NOT_RUN = 267011;
export const SCHED_S_TASK_TERMINATED = 267014;
export const SCHED_S_TASK_QUEUED = 267045;

/** not-started: registered, never run, or asked to run and queued; running; ended: anything else. */
export type TaskPhase = 'not-started' | 'running' | 'ended';

/**
 * Why: the one rule for a task's state, read from Last Result alone: the Status column is a
 * localized word (Running, Wird ausgeführt, En cours d'exécution...) and never decides anything.
 */
export function taskPhase(lastResult: number): TaskPhase {
  if (lastResult === SCHED_S_TASK_RUNNING) return 'running';
  if (lastResult === SCHED_S_TASK_HAS_NOT_RUN || lastResult === SCHED_S_TASK_QUEUED) return 'not-started';
  return 'ended';
}
