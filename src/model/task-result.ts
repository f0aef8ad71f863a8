// The Task Scheduler's own "Last Result" values (docs/windows-facts.md#task-result-codes) that the connector, the windows
// adapter and the lab's emulation all reason about; a client exit code is anything else.

export const SCHED_S_TASK_RUNNING = 267009;
export const SCHED_S_TASK_HAS_NOT_RUN = 267011;
export const SCHED_S_TASK_TERMINATED = 267014;
export const SCHED_S_TASK_QUEUED = 267045;
