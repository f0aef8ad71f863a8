// The end of every cycle, fresh or resumed: store the summary, acknowledge run.end (the client
// reboots only after it), wait for the reboot or for the client to exit, then clean up the task
// and the staged job (which holds the token). log.jsonl stays on the target.
import { taskPhase } from '../model/task-result.ts';
import { ack } from '../protocol/pipe-client.ts';
import { Backoff } from './backoff.ts';
import type { FollowResult } from './client-follow.ts';
import type { CycleRecord } from './cycle-record.ts';
import { waitForReboot } from './host-wait.ts';
import { afterReboot, mayReboot, withholdReboot } from './night-steps.ts';
import { cyclePaths, TASK_NAME } from './paths.ts';
import { TargetError } from './ports.ts';
import type { RunContext } from './run-context.ts';
import { POLL } from './run-options.ts';

/** Why: after run.end: ack, reboot wait or task end, clean-up; returns what the analysis needs. */
export async function completeCycle(ctx: RunContext, cycle: number, f: FollowResult): Promise<CycleRecord> {
  const { clock, options: o, server } = ctx;
  const summary = f.runEnd.summary;
  ctx.emit({ type: 'cycle.end', server, time: clock.now(), cycle, summary, fromLogFile: f.fromLogFile });
  let rebootExpected = false;
  if (f.stream && summary.willReboot && !(await mayReboot(ctx, cycle))) {
    // Vetoed (deadline, before-reboot hook): no ack, so the client never reboots.
    f.stream.end();
    await withholdReboot(ctx);
  } else if (f.stream) {
    if (summary.willReboot) await ctx.lease?.extendFor(o.rebootTimeoutMs).catch(() => {});
    await ack(f.stream, f.runEnd.seq);
    f.stream.end();
    rebootExpected = summary.willReboot;
    ctx.step('info', `run.end acknowledged${rebootExpected ? '; the client reboots the server now' : ''}`);
  } else {
    rebootExpected = summary.willReboot && f.postRun === 'acked';
    if (summary.willReboot && !rebootExpected) {
      ctx.step('warn', 'the client exited without an acknowledgement, so it did not reboot');
    }
  }
  const record: CycleRecord = {
    n: cycle,
    summary,
    events: f.events,
    fromLogFile: f.fromLogFile,
    startedAfterReboot: ctx.afterReboot(),
    rebooted: false,
    bootTimeAfter: summary.bootTime,
  };
  if (rebootExpected) {
    ctx.emit({ type: 'reboot', server, time: clock.now(), cycle, phase: 'waiting', elapsedMs: 0 });
    const r = await waitForReboot(
      ctx.watch(),
      summary.bootTime,
      o.rebootTimeoutMs,
      (phase, elapsedMs, bootTime) =>
        ctx.emit({
          type: 'reboot',
          server,
          time: clock.now(),
          cycle,
          phase,
          elapsedMs,
          ...(bootTime ? { bootTime } : {}),
        }),
    );
    record.rebooted = true;
    record.bootTimeAfter = r.bootTimeAfter;
    record.rebootMs = r.elapsedMs;
    await ctx.lease?.renew().catch(() => {});
    await afterReboot(ctx, cycle);
  } else {
    await waitTaskEnded(ctx);
  }
  await cleanupCycle(ctx, cycle);
  return record;
}

/** Why: the client exits right after the ack; the task is deleted only once it has (bounded wait). */
export async function waitTaskEnded(ctx: RunContext): Promise<void> {
  const deadline = ctx.clock.now() + POLL.taskEndMaxWaitMs;
  const backoff = new Backoff(POLL.minMs, POLL.maxMs);
  while (ctx.clock.now() < deadline) {
    const task = await ctx.target.queryTask(TASK_NAME).catch(() => null);
    if (!task || taskPhase(task.lastResult) === 'ended') return;
    await ctx.clock.sleep(backoff.next(), ctx.deps.signal);
  }
}

/** Why: the task goes (a missing one is fine), then the staged files. */
export async function cleanupCycle(ctx: RunContext, cycle: number): Promise<void> {
  try {
    await ctx.target.deleteTask(TASK_NAME);
  } catch (err) {
    if (!(err instanceof TargetError && err.kind === 'task-not-found')) {
      ctx.step('warn', `could not delete the task ${TASK_NAME}: ${(err as Error).message}`);
    }
  }
  ctx.dirty = false;
  await removeStaged(ctx, cycle);
}

/** Why: the job (it holds the token) and the task XML go; log.jsonl stays on the target. */
export async function removeStaged(ctx: RunContext, cycle: number): Promise<void> {
  const paths = cyclePaths(ctx.run, cycle);
  await ctx.target.removeFile(paths.job).catch(() => {});
  await ctx.target.removeFile(paths.taskXml).catch(() => {});
}
