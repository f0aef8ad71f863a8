// The end of every cycle, fresh or resumed: store the summary, acknowledge run.end (the client
// reboots only after it), wait for the reboot or for the client to exit, then clean up the task
// and the staged job (which holds the token). log.jsonl stays on the target.
import { taskPhase } from '../../model/task-result.ts';
import type { Job } from '../../protocol/job.ts';
import { ack } from '../../protocol/pipe-client.ts';
import { Backoff } from '../backoff.ts';
import { cyclePaths, TASK_NAME } from '../paths.ts';
import { TargetError } from '../ports.ts';
import { afterReboot, mayReboot, withholdReboot } from '../rollout-steps.ts';
import type { RunContext } from '../run-context.ts';
import { POLL } from '../run-options.ts';
import { settleWithin } from '../signals.ts';
import { ACK_CONFIRM, confirmAck } from './ack-confirm.ts';
import type { FollowResult } from './client-follow.ts';
import { waitForReboot } from './host-wait.ts';
import { type CycleRecord, keptEvents } from './record.ts';

/** Why: after run.end: ack, reboot wait or task end, clean-up; returns what the analysis needs. */
export async function completeCycle(
  ctx: RunContext,
  cycle: number,
  f: FollowResult,
  job?: Job,
): Promise<CycleRecord> {
  const { clock, options: o, server } = ctx;
  const summary = f.runEnd.summary;
  ctx.emit({ type: 'cycle.end', server, time: clock.now(), cycle, summary, fromLogFile: f.fromLogFile });
  let rebootExpected = false;
  // When the reboot began as far as the connector can tell: the ack (live) or the client's log of it.
  let rebootFrom = f.ackedAt ?? null;
  if (f.stream && summary.willReboot && !(await mayReboot(ctx, cycle))) {
    // Vetoed (deadline, before-reboot hook): no ack, so the client never reboots.
    f.stream.end();
    await withholdReboot(ctx);
  } else if (f.stream) {
    if (summary.willReboot) await ctx.lease?.extendFor(o.rebootTimeoutMs).catch(() => {});
    rebootFrom = clock.now();
    // A write on a dead channel may never call back: bounded, the log below is the proof anyway.
    await settleWithin(
      clock,
      ack(f.stream, f.runEnd.seq).catch(() => {}),
      ACK_CONFIRM.resendMs,
      ctx.deps.signal,
    );
    f.stream.end();
    // Only the client's log proves the ack arrived; until then it may have died on the way.
    const outcome = job ? await confirmAck(ctx, job, f.runEnd.seq) : 'confirmed';
    rebootExpected = summary.willReboot && (outcome === 'confirmed' || outcome === 'host-gone');
    if (outcome === 'confirmed' || outcome === 'host-gone') {
      ctx.step('info', `run.end acknowledged${rebootExpected ? '; the client reboots the server now' : ''}`);
    } else {
      ctx.step(
        'warn',
        `the client did not confirm the acknowledgement of run.end (${outcome})${summary.willReboot ? ', so it does not reboot' : ''}`,
      );
    }
  } else {
    rebootExpected = summary.willReboot && f.postRun === 'acked';
    if (summary.willReboot && !rebootExpected) {
      ctx.step('warn', 'the client exited without an acknowledgement, so it did not reboot');
    }
  }
  const record: CycleRecord = {
    n: cycle,
    summary,
    events: keptEvents(f.events),
    fromLogFile: f.fromLogFile,
    startedAfterReboot: ctx.afterReboot(),
    rebooted: false,
    bootTimeAfter: summary.bootTime,
  };
  if (rebootExpected) {
    // The reboot starts with the ack: confirming it (live) or resuming takes time the reboot already ran.
    const already = rebootFrom ? Math.min(o.rebootTimeoutMs, Math.max(0, clock.now() - rebootFrom)) : 0;
    ctx.emit({ type: 'reboot', server, time: clock.now(), cycle, phase: 'waiting', elapsedMs: already });
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
          elapsedMs: elapsedMs + already,
          ...(bootTime ? { bootTime } : {}),
        }),
    );
    record.rebooted = true;
    record.bootTimeAfter = r.bootTimeAfter;
    ctx.rebootStatus = { status: r.status, at: clock.now() };
    record.rebootMs = r.elapsedMs + already;
    // The host is back: the lease returns to its normal length (a rerun elsewhere waits no longer).
    await ctx.lease?.endExtension().catch(() => {});
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

/**
 * Why: the job (it holds the token) and the task XML go; log.jsonl stays on the target. Both at
 * once: the two removals travel in one round trip.
 */
export async function removeStaged(ctx: RunContext, cycle: number): Promise<void> {
  const paths = cyclePaths(ctx.run, cycle);
  await Promise.all([paths.job, paths.taskXml].map((p) => ctx.target.removeFile(p).catch(() => {})));
}
