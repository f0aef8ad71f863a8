// A new cycle: check the host is free and serviced, stage the job, register the task without /F
// (the task name is the last arbiter of the per-host lock), start it, and follow the client's log.
import { formatDuration } from '../../model/duration.ts';
import type { Job } from '../../protocol/job.ts';
import type { ActivityEvent } from '../../protocol/messages.ts';
import { ConnectorFailure } from '../errors.ts';
import { newToken as defaultToken } from '../ids.ts';
import { cyclePaths, TASK_NAME } from '../paths.ts';
import { type ClientStatus, TargetError } from '../ports.ts';
import type { RunContext } from '../run-context.ts';
import { followClient } from './client-follow.ts';
import { completeCycle, removeStaged } from './complete.ts';
import { waitUntilServiced } from './host-wait.ts';
import { buildJob, selfHealOnce, stageCycle, targetClockOffsetMs } from './job-stage.ts';
import type { CycleEnd, StatusAfterReboot } from './record.ts';

/** A reboot wait's last status is as good as a new one for this long. */
const REBOOT_STATUS_FRESH_MS = 15_000;

/**
 * Why: the reboot wait has just asked the client for its status (new boot, servicing done, no
 * run active); that status stands for this check while it is fresh (docs/scale.md#speed-ups-the-code-keeps).
 */
function recentRebootStatus(ctx: RunContext, kept: StatusAfterReboot | undefined): ClientStatus | null {
  if (!kept) return null;
  const age = ctx.clock.now() - kept.at;
  if (age > REBOOT_STATUS_FRESH_MS) return null;
  // Its clock reading is aged with it, so the clock offset to the server stays exact.
  const then = kept.status.now ? Date.parse(kept.status.now) : Number.NaN;
  return Number.isNaN(then) ? kept.status : { ...kept.status, now: new Date(then + age).toISOString() };
}

/** Why: before a cycle, nobody else's client may be active and servicing must have finished. */
export async function readyForCycle(
  ctx: RunContext,
  statusAfterReboot?: StatusAfterReboot,
): Promise<ClientStatus> {
  const kept = recentRebootStatus(ctx, statusAfterReboot);
  const status = kept ?? (await ctx.target.clientStatus(ctx.options.clientPath));
  const active = status.activeRun;
  // A client of this very run (a resumed cycle, or the last one still exiting) is not a competitor.
  if (active && active.runId !== ctx.runId) {
    throw new ConnectorFailure(
      'lock-held',
      `${ctx.server} is busy: client run ${active.runId} cycle ${active.cycle}${active.pid ? ` (pid ${active.pid})` : ''} is active`,
    );
  }
  return waitUntilServiced(ctx.watch(), status, ctx.options.rebootTimeoutMs, () =>
    ctx.print('info', 'servicing (CBS) still in progress after the last boot; waiting before the next cycle'),
  );
}

/** Why: one cycle from nothing on the target to its completed record. */
export async function freshCycle(
  ctx: RunContext,
  cycle: number,
  statusAfterReboot?: StatusAfterReboot,
): Promise<CycleEnd> {
  const { target, clock, options: o } = ctx;
  const ready = await readyForCycle(ctx, statusAfterReboot);
  // Trigger times go by the target's clock, which may be minutes off the controller's.
  const offsetMs = targetClockOffsetMs(ready, clock.now());
  if (Math.abs(offsetMs) >= 60_000) {
    ctx.print(
      'warn',
      `${ctx.server}'s clock is ${formatDuration(Math.abs(offsetMs))} ${offsetMs > 0 ? 'ahead of' : 'behind'} this controller; the task's trigger follows the server's clock`,
    );
  }
  const job = buildJob(selfHealOnce(o, ctx.history), ctx.runId, cycle, (ctx.deps.newToken ?? defaultToken)());
  const paths = cyclePaths(ctx.runId, cycle);
  ctx.emit({ type: 'cycle.start', server: ctx.server, time: clock.now(), cycle, dir: paths.dir });
  const staged = await stageCycle(target, o, job, clock.now(), offsetMs);
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
  ctx.taskOnTarget = true;
  // A one-shot trigger already in the past when registered never fires: start it by hand.
  if (o.startDelayMs > 0 && clock.now() < staged.startAtMs) {
    ctx.print(
      'info',
      `task ${TASK_NAME} registered; its trigger fires at ${staged.task.startBoundary.toISOString()}`,
    );
  } else {
    await target.runTask(TASK_NAME);
    ctx.print(
      'info',
      o.startDelayMs > 0
        ? `task ${TASK_NAME} registered after its start time had passed; started it`
        : `task ${TASK_NAME} registered and started`,
    );
  }
  const followed = await followCycle(ctx, job, staged.startAtMs, cycle);
  return completeCycle(ctx, cycle, followed, job);
}

/** Why: the client's log, live, with every event passed on to the job output. */
export function followCycle(ctx: RunContext, job: Job, startAt: number, cycle: number) {
  const onEvent = (event: ActivityEvent) => ctx.emit({ type: 'client', server: ctx.server, cycle, event });
  return followClient(ctx.watch(), { job, startAt, startTimeoutMs: ctx.options.startTimeoutMs, onEvent });
}
