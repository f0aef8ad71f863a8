// A new cycle: check the host is free and serviced, stage the job, register the task without /F
// (the task name is the last arbiter of the per-host lock), start it, and follow the client's log.
import type { Job } from '../protocol/job.ts';
import type { ActivityEvent } from '../protocol/messages.ts';
import { followClient } from './client-follow.ts';
import { completeCycle, removeStaged } from './cycle-complete.ts';
import type { CycleRecord } from './cycle-record.ts';
import { ConnectorFailure } from './errors.ts';
import { waitUntilServiced } from './host-wait.ts';
import { newToken as defaultToken } from './ids.ts';
import { buildJob, stageCycle } from './job-stage.ts';
import { cyclePaths, TASK_NAME } from './paths.ts';
import { type ClientStatus, TargetError } from './ports.ts';
import type { RunContext } from './run-context.ts';

/** Why: before a cycle, nobody else's client may be active and servicing must have finished. */
export async function readyForCycle(ctx: RunContext): Promise<ClientStatus> {
  const status = await ctx.target.clientStatus(ctx.options.clientPath);
  const active = status.activeRun;
  // A client of this very run (a resumed cycle, or the last one still exiting) is not a competitor.
  if (active && active.runId !== ctx.runId) {
    throw new ConnectorFailure(
      'lock-held',
      `${ctx.server} is busy: client run ${active.runId} cycle ${active.cycle}${active.pid ? ` (pid ${active.pid})` : ''} is active`,
    );
  }
  return waitUntilServiced(ctx.watch(), status, ctx.options.rebootTimeoutMs, () =>
    ctx.step('info', 'servicing (CBS) still in progress after the last boot; waiting before the next cycle'),
  );
}

/** Why: one cycle from nothing on the target to its completed record. */
export async function freshCycle(ctx: RunContext, cycle: number): Promise<CycleRecord> {
  const { target, clock, options: o } = ctx;
  await readyForCycle(ctx);
  const job = buildJob(o, ctx.run, cycle, (ctx.deps.newToken ?? defaultToken)());
  const paths = cyclePaths(ctx.run, cycle);
  ctx.emit({ type: 'cycle.start', server: ctx.server, time: clock.now(), cycle, dir: paths.dir });
  const staged = await stageCycle(target, o, job, clock.now());
  try {
    await target.createTask(TASK_NAME, staged.task, false);
  } catch (err) {
    await removeStaged(ctx, cycle);
    if (err instanceof TargetError && err.kind === 'task-exists') {
      const status = await target.clientStatus(o.clientPath).catch(() => null);
      const who = status?.activeRun
        ? `client run ${status.activeRun.runId} cycle ${status.activeRun.cycle}`
        : 'another run';
      throw new ConnectorFailure(
        'lock-held',
        `${ctx.server} is busy: the task ${TASK_NAME} already exists (held by ${who}); refusing to replace it`,
      );
    }
    throw err;
  }
  ctx.dirty = true;
  if (o.startDelayMs > 0) {
    ctx.step(
      'info',
      `task ${TASK_NAME} registered; its trigger fires at ${staged.task.startBoundary.toISOString()}`,
    );
  } else {
    await target.runTask(TASK_NAME);
    ctx.step('info', `task ${TASK_NAME} registered and started`);
  }
  const followed = await followCycle(ctx, job, staged.task.startBoundary.getTime(), cycle);
  return completeCycle(ctx, cycle, followed);
}

/** Why: the client's log, live, with every event passed on to the job output. */
export function followCycle(ctx: RunContext, job: Job, startAt: number, cycle: number) {
  const onEvent = (event: ActivityEvent) => ctx.emit({ type: 'client', server: ctx.server, cycle, event });
  return followClient(ctx.watch(), { job, startAt, startTimeoutMs: ctx.options.startTimeoutMs, onEvent });
}
