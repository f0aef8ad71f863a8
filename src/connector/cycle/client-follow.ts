// Watching the task until the client is up and following its log (docs/architecture.md#the-cycle steps 2 and
// 4): the pipe is tried first (it answers once the client runs), the task's state explains a client
// that never comes. A broken connection reconnects from the next seq, so nothing is shown twice;
// a client that already exited is read from its log.jsonl instead.
import type { Duplex } from 'node:stream';
import { formatDuration } from '../../model/duration.ts';
import { describeTaskResult } from '../../model/hresult.ts';
import { taskPhase } from '../../model/task-result.ts';
import type { Job } from '../../protocol/job.ts';
import { ackedAt, type ParsedLogFile, parseLogFile } from '../../protocol/log-file.ts';
import type { ActivityEvent, RunEnd } from '../../protocol/messages.ts';
import { readRunLog } from '../../protocol/pipe-client.ts';
import { ProtocolError, RunLogInterruptedError } from '../../protocol/protocol-error.ts';
import { Backoff } from '../backoff.ts';
import { ConnectorFailure } from '../errors.ts';
import { cyclePaths, TASK_NAME } from '../paths.ts';
import { type TargetAccess, TargetError, type TaskInfo } from '../ports.ts';
import { POLL } from '../run-options.ts';
import type { TargetWatch } from './target-watch.ts';

export interface FollowRequest {
  job: Job;
  /** When the task is due to start (ms); the start timeout counts from here. */
  startAt: number;
  startTimeoutMs: number;
  onEvent: (event: ActivityEvent) => void;
}

export interface FollowResult {
  runEnd: RunEnd;
  events: ActivityEvent[];
  /** Open stream to ack on; null when the client had exited and the log file was read. */
  stream: Duplex | null;
  fromLogFile: boolean;
  /** For a log read from the file: did the client get an ack (and so maybe reboot)? */
  postRun: 'acked' | 'ack-timeout' | 'waiting' | null;
  /** For a log read from the file: when the client logged the ack (a resumed reboot started then). */
  ackedAt?: number | null;
}

function taskState(task: TaskInfo | null): string {
  if (!task) return `the task ${TASK_NAME} no longer exists`;
  return `task status ${task.status}, Last Result ${describeTaskResult(task.lastResult)}`;
}

/** Why: what the client did after run.end, as the file tells it (the pipe never carries it). */
export function postRunState(content: ParsedLogFile): 'acked' | 'ack-timeout' | 'waiting' {
  if (content.after.some((e) => e.kind === 'ack.received')) return 'acked';
  if (content.after.some((e) => e.kind === 'ack.timeout')) return 'ack-timeout';
  return 'waiting';
}

function checkSummary(job: Job, runEnd: RunEnd): void {
  const s = runEnd.summary;
  if (s.runId !== job.runId || s.cycle !== job.cycle) {
    throw new ProtocolError(
      `run.end belongs to run ${s.runId} cycle ${s.cycle}, expected ${job.runId} cycle ${job.cycle}`,
    );
  }
}

/** How long a relay may stay silent before it is reopened, and how often in a row without an event. */
const IDLE_RECONNECT_MS = 60_000;
const MAX_SILENT_RECONNECTS = 3;

/** Why: returns the cycle's run.end with every event seen exactly once, or a failure naming the task state. */
export async function followClient(ctx: TargetWatch, req: FollowRequest): Promise<FollowResult> {
  const { target, clock } = ctx;
  const { job } = req;
  const events: ActivityEvent[] = [];
  let from = 0;
  let deadline = req.startAt + req.startTimeoutMs;
  const backoff = new Backoff(POLL.minMs, POLL.maxMs);
  // A relay that stays silent (a hung channel) is dropped and reopened from the next seq; a
  // client's log is never silent that long while it works, and a reconnect loses nothing.
  const idleMs = Math.max(1000, Math.min(IDLE_RECONNECT_MS, req.startTimeoutMs / 2));
  let lastHeard = clock.now();
  let silentReconnects = 0;
  const onEvent = (e: ActivityEvent) => {
    lastHeard = clock.now();
    silentReconnects = 0;
    events.push(e);
    req.onEvent(e);
  };

  for (;;) {
    ctx.signal?.throwIfAborted();
    if (clock.now() >= req.startAt) {
      const stream = await openPipe(ctx, job.pipe);
      if (stream) {
        lastHeard = clock.now();
        const watch = new AbortController();
        let idled = false;
        void (async () => {
          while (!watch.signal.aborted) {
            await clock.sleep(idleMs, watch.signal).catch(() => {});
            if (!watch.signal.aborted && clock.now() - lastHeard >= idleMs) {
              idled = true;
              stream.destroy();
              return;
            }
          }
        })();
        try {
          const runEnd = await readRunLog(stream, { token: job.token, from, onEvent, signal: ctx.signal });
          checkSummary(job, runEnd);
          return { runEnd, events, stream, fromLogFile: false, postRun: null };
        } catch (err) {
          stream.destroy();
          if (!(err instanceof RunLogInterruptedError)) throw err;
          from = err.nextFrom;
          // Silent relays get a fresh window a few times (the task may still be running fine).
          if (err.receivedAny || (idled && ++silentReconnects <= MAX_SILENT_RECONNECTS)) {
            // The client is up and was talking: give a broken relay a fresh window to come back.
            backoff.reset();
            deadline = Math.max(deadline, clock.now() + req.startTimeoutMs);
          }
        } finally {
          watch.abort();
        }
      }
    }

    const task = await target.queryTask(TASK_NAME);
    const ended = task !== null && taskPhase(task.lastResult) === 'ended';
    if (ended || (task === null && clock.now() >= req.startAt)) {
      const fromFile = await readLogFile(target, job);
      if (fromFile?.runEnd) {
        for (const e of fromFile.events) if (e.seq >= from) onEvent(e);
        checkSummary(job, fromFile.runEnd);
        return {
          runEnd: fromFile.runEnd,
          events: fromFile.events,
          stream: null,
          fromLogFile: true,
          postRun: postRunState(fromFile),
          ackedAt: ackedAt(fromFile),
        };
      }
      if (fromFile && fromFile.events.length > 0) {
        for (const e of fromFile.events) if (e.seq >= from) onEvent(e);
        const lastEvent = fromFile.events.at(-1);
        throw new ConnectorFailure(
          'client-failed',
          `the client of cycle ${job.cycle} ended without a summary (last event: ${lastEvent?.kind} ` +
            `"${lastEvent?.message}"); ${taskState(task)}`,
        );
      }
      if (ended) {
        throw new ConnectorFailure(
          'task-not-started',
          `the task ${TASK_NAME} ran but the client never came up (no log): ${taskState(task)}`,
        );
      }
    }
    if (clock.now() >= deadline) {
      const what =
        from > 0
          ? 'the connection to the client was lost and did not come back'
          : 'the client did not come up';
      throw new ConnectorFailure(
        'task-not-started',
        `${what} within ${formatDuration(req.startTimeoutMs)} of the task's start time: ${taskState(task)}`,
      );
    }
    const wait = Math.max(0, Math.min(backoff.next(), deadline - clock.now()));
    const untilStart = req.startAt - clock.now();
    await clock.sleep(untilStart > 0 ? Math.min(untilStart, POLL.maxMs * 30) : wait, ctx.signal);
  }
}

async function openPipe(ctx: TargetWatch, pipe: string): Promise<Duplex | null> {
  try {
    return await ctx.target.openPipe(pipe, ctx.clientPath);
  } catch (err) {
    // A lost session is a real failure; a pipe that is not there yet is just "not yet".
    if (
      err instanceof TargetError &&
      (err.kind === 'unreachable' || err.kind === 'auth' || err.kind === 'host-key')
    ) {
      throw err;
    }
    return null;
  }
}

async function readLogFile(target: TargetAccess, job: Job) {
  const path = cyclePaths(job.runId, job.cycle).log;
  const buf = await target.readFile(path);
  return buf ? parseLogFile(buf.toString('utf8'), path) : null;
}
