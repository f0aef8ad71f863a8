// The Task Scheduler's own "Last Result" values (WINDOWS.md 4) that the connector, the windows
// adapter and the lab's emulation all reason about; a client exit code is anything else.

export const SCHED_S_TASK_RUNNING = 267009;
export const SCHED_S_TASK_HAS_NOT_RUN = 267011;
export const SCHED_S_TASK_TERMINATED = 267014;
export const SCHED_S_TASK_QUEUED = 267045;

/** What "has the task ended" needs from a `schtasks /Query` row. */
export interface TaskRunState {
  /** Status column (Ready, Running, Queued, Disabled...; localized words pass through). */
  status: string;
  /** Last Result as a signed 32-bit integer. */
  lastResult: number;
}

/** Last Result values that mean the action has not finished: running, never run, queued. */
const NOT_ENDED = new Set([SCHED_S_TASK_RUNNING, SCHED_S_TASK_HAS_NOT_RUN, SCHED_S_TASK_QUEUED]);

/** Why: the single rule (connector, windows adapter, client follow) for "the task's action is over". */
export function taskHasEnded(task: TaskRunState): boolean {
  // The Last Result code is language-neutral; the English Status words are a second guard.
  return !NOT_ENDED.has(task.lastResult) && !/^(running|queued)$/i.test(task.status.trim());
}

/** Why: a task that was started but has not begun its action yet (Queued) is not "running" either. */
export function taskIsRunning(task: TaskRunState): boolean {
  return task.lastResult === SCHED_S_TASK_RUNNING || /^running$/i.test(task.status.trim());
}
