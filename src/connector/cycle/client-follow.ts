// Watching the task until the client is up and following its log (docs/architecture.md#the-cycle
// steps 2 and 4). The pipe says when the client is up: the relay waits for it, so the first event
// arrives the moment the client starts, and run.end the moment the run ends. The task's state is
// read only for what no event can say: a client that never comes, or one that already exited
// (then its log.jsonl is read instead). A broken connection reconnects from the next seq, so
// nothing is shown twice. Every wait is bounded by the start timeout, and named when it runs out.
import { formatDuration } from '../../model/duration.ts';
import { Backoff } from '../backoff.ts';
import { ConnectorFailure } from '../errors.ts';
import { TASK_NAME } from '../paths.ts';
import type { TargetAccess } from '../ports.ts';
import { POLL } from '../run-options.ts';
import { fromTaskEnd, taskState } from './client-follow-file.ts';
import { followPipe } from './client-follow-pipe.ts';
import type { FollowRequest, FollowResult, FollowState } from './follow-state.ts';
import type { TargetWatch } from './target-watch.ts';

export type { FollowRequest, FollowResult, FollowState } from './follow-state.ts';

/** How long a relay may stay silent before it is reopened. */
const IDLE_RECONNECT_MS = 60_000;

function newState(ctx: TargetWatch, req: FollowRequest): FollowState {
  const s: FollowState = {
    ctx,
    req,
    events: [],
    from: 0,
    deadline: req.startAt + req.startTimeoutMs,
    // A client's log is never silent that long while it works, and a reconnect loses nothing.
    idleMs: Math.max(1000, Math.min(IDLE_RECONNECT_MS, req.startTimeoutMs / 2)),
    lastHeard: ctx.clock.now(),
    silentReconnects: 0,
    backoff: new Backoff(POLL.minMs, POLL.maxMs),
    onEvent: (e) => {
      s.lastHeard = ctx.clock.now();
      s.silentReconnects = 0;
      s.events.push(e);
      req.onEvent(e);
    },
  };
  return s;
}

/** Why: the one failure for a client that never came (or never came back), with the task's state. */
function startTimedOut(s: FollowState, task: Awaited<ReturnType<TargetAccess['queryTask']>>): never {
  const what =
    s.from > 0 ? 'the connection to the client was lost and did not come back' : 'the client did not come up';
  throw new ConnectorFailure(
    'task-not-started',
    `${what} within ${formatDuration(s.req.startTimeoutMs)} of the task's start time: ${taskState(task)}`,
  );
}

/** Why: returns the cycle's run.end with every event seen exactly once, or a failure naming the task state. */
export async function followClient(ctx: TargetWatch, req: FollowRequest): Promise<FollowResult> {
  const { clock } = ctx;
  const s = newState(ctx, req);
  for (;;) {
    ctx.signal?.throwIfAborted();
    if (clock.now() >= req.startAt) {
      const live = await followPipe(s);
      if (live) return live;
    }
    const task = await ctx.target.queryTask(TASK_NAME);
    const ended = await fromTaskEnd(s, task);
    if (ended) return ended;
    if (clock.now() >= s.deadline) startTimedOut(s, task);
    const untilStart = req.startAt - clock.now();
    const wait = Math.max(0, Math.min(s.backoff.next(), s.deadline - clock.now()));
    await clock.sleep(untilStart > 0 ? Math.min(untilStart, POLL.maxMs * 30) : wait, ctx.signal);
  }
}
