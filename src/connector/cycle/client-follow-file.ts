// The client's log.jsonl, read when its task has ended (or is gone) before the pipe gave run.end:
// the run's end from the file, or a failure that names what the client and the task last did.
import { describeTaskResult } from '../../model/hresult.ts';
import { taskPhase } from '../../model/task-result.ts';
import type { Job } from '../../protocol/job.ts';
import { ackedAt, type ParsedLogFile, parseLogFile } from '../../protocol/log-file.ts';
import type { RunEnd } from '../../protocol/messages.ts';
import { ProtocolError } from '../../protocol/protocol-error.ts';
import { ConnectorFailure } from '../errors.ts';
import { cyclePaths, TASK_NAME } from '../paths.ts';
import type { TargetAccess, TaskInfo } from '../ports.ts';
import type { FollowResult, FollowState } from './follow-state.ts';

/** Why: what the client did after run.end, as the file tells it (the pipe never carries it). */
export function postRunState(content: ParsedLogFile): 'acked' | 'ack-timeout' | 'waiting' {
  if (content.after.some((e) => e.kind === 'ack.received')) return 'acked';
  if (content.after.some((e) => e.kind === 'ack.timeout')) return 'ack-timeout';
  return 'waiting';
}

/** Why: the task's state in words, for every failure that has nothing better to say. */
export function taskState(task: TaskInfo | null): string {
  if (!task) return `the task ${TASK_NAME} no longer exists`;
  return `task status ${task.status}, Last Result ${describeTaskResult(task.lastResult)}`;
}

/** Why: a run.end of another run or cycle is a protocol error, never this cycle's result. */
export function checkSummary(job: Job, runEnd: RunEnd): void {
  const s = runEnd.summary;
  if (s.runId !== job.runId || s.cycle !== job.cycle) {
    throw new ProtocolError(
      `run.end belongs to run ${s.runId} cycle ${s.cycle}, expected ${job.runId} cycle ${job.cycle}`,
    );
  }
}

async function readLogFile(target: TargetAccess, job: Job) {
  const path = cyclePaths(job.runId, job.cycle).log;
  const buf = await target.readFile(path);
  return buf ? parseLogFile(buf.toString('utf8'), path) : null;
}

/**
 * Why: once the task has ended (or is gone after its start time), the log file is all there is:
 * its run.end, or a failure. null while the task may still bring the client up.
 */
export async function fromTaskEnd(s: FollowState, task: TaskInfo | null): Promise<FollowResult | null> {
  const { ctx, req } = s;
  const ended = task !== null && taskPhase(task.lastResult) === 'ended';
  if (!ended && !(task === null && ctx.clock.now() >= req.startAt)) return null;
  const file = await readLogFile(ctx.target, req.job);
  if (file) for (const e of file.events) if (e.seq >= s.from) s.onEvent(e);
  if (file?.runEnd) {
    checkSummary(req.job, file.runEnd);
    return {
      runEnd: file.runEnd,
      events: file.events,
      stream: null,
      fromLogFile: true,
      postRun: postRunState(file),
      ackedAt: ackedAt(file),
    };
  }
  const last = file?.events.at(-1);
  if (last) {
    throw new ConnectorFailure(
      'client-failed',
      `the client of cycle ${req.job.cycle} ended without a summary (last event: ${last.kind} ` +
        `"${last.message}"); ${taskState(task)}`,
    );
  }
  if (ended) {
    throw new ConnectorFailure(
      'task-not-started',
      `the task ${TASK_NAME} ran but the client never came up (no log): ${taskState(task)}`,
    );
  }
  return null;
}
