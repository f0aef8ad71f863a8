// The end of every cycle, fresh or resumed: store the summary, acknowledge run.end (the client
// reboots only after it), wait for the reboot or for the client to exit, then clean up the task
// and the staged job (which holds the token). log.jsonl stays on the target.

import type { Duplex } from 'node:stream';
import { taskPhase } from '../../model/task-result.ts';
import type { Job } from '../../protocol/job.ts';
import type { RunEnd } from '../../protocol/messages.ts';
import { ack } from '../../protocol/pipe-client.ts';
import { Backoff } from '../backoff.ts';
import { cyclePaths, TASK_NAME } from '../paths.ts';
import { TargetError } from '../ports.ts';
import { rebootVeto, runAfterRebootHooks, withholdReboot } from '../rollout-steps.ts';
import type { RunContext } from '../run-context.ts';
import { POLL } from '../run-options.ts';
import { settleWithin } from '../signals.ts';
import { ACK_CONFIRM, confirmAck } from './ack-confirm.ts';
import type { FollowResult } from './client-follow.ts';
import { waitForReboot } from './host-wait.ts';
import { type CycleEnd, type CycleRecord, type Halt, keptEvents, type StatusAfterReboot } from './record.ts';

/** Why: after run.end: ack or veto, reboot wait or task end, clean-up; the record and what halts the run. */
export async function completeCycle(
  ctx: RunContext,
  cycle: number,
  f: FollowResult,
  job?: Job,
): Promise<CycleEnd> {
  const summary = f.runEnd.summary;
  const time = ctx.clock.now();
  ctx.emit({ type: 'cycle.end', server: ctx.server, time, cycle, summary, fromLogFile: f.fromLogFile });
  const settled = await settleRunEnd(ctx, cycle, f, job);
  const record: CycleRecord = {
    n: cycle,
    summary,
    events: keptEvents(f.events),
    fromLogFile: f.fromLogFile,
    startedAfterReboot: ctx.hasRebooted(),
    rebooted: false,
    bootTimeAfter: summary.bootTime,
  };
  let statusAfterReboot: StatusAfterReboot | undefined;
  if (settled.rebootExpected) {
    const r = await watchReboot(ctx, cycle, summary.bootTime, settled.rebootFrom);
    record.rebooted = true;
    record.bootTimeAfter = r.bootTimeAfter;
    record.rebootMs = r.rebootMs;
    statusAfterReboot = r.statusAfterReboot;
    const hookFailure = await runAfterRebootHooks(ctx, cycle);
    if (hookFailure !== undefined) record.afterRebootHookFailure = hookFailure;
  } else {
    await waitTaskEnded(ctx);
  }
  await cleanupCycle(ctx, cycle);
  return { record, halt: settled.halt, statusAfterReboot };
}

interface RunEndSettled {
  /** The client reboots the server now (it has the ack, or its log says it had it). */
  rebootExpected: boolean;
  /** When the reboot began as far as the connector can tell: the ack (live) or the client's log of it. */
  rebootFrom: number | null;
  halt?: Halt | undefined;
}

/** Why: whether the client reboots: a veto withholds the ack; else the ack goes (live) or the log tells. */
async function settleRunEnd(
  ctx: RunContext,
  cycle: number,
  f: FollowResult,
  job?: Job,
): Promise<RunEndSettled> {
  const willReboot = f.runEnd.summary.willReboot;
  if (!f.stream) {
    const rebootExpected = willReboot && f.postRun === 'acked';
    if (willReboot && !rebootExpected) {
      ctx.print('warn', 'the client exited without an acknowledgement, so it did not reboot');
    }
    return { rebootExpected, rebootFrom: f.ackedAt ?? null };
  }
  const halt = willReboot ? await rebootVeto(ctx, cycle) : null;
  if (halt) {
    // Vetoed (deadline, before-reboot hook): no ack, so the client never reboots.
    f.stream.end();
    await withholdReboot(ctx);
    return { rebootExpected: false, rebootFrom: null, halt };
  }
  return acknowledge(ctx, f.runEnd, f.stream, job);
}

/** Why: the ack of run.end, live; only the client's log proves it arrived (then the client may reboot). */
async function acknowledge(
  ctx: RunContext,
  runEnd: RunEnd,
  stream: Duplex,
  job?: Job,
): Promise<RunEndSettled> {
  const { clock, options: o } = ctx;
  const willReboot = runEnd.summary.willReboot;
  if (willReboot) await ctx.lease?.extendFor(o.rebootTimeoutMs).catch(() => {});
  const rebootFrom = clock.now();
  // A write on a dead channel may never call back: bounded, the log below is the proof anyway.
  await settleWithin(
    clock,
    ack(stream, runEnd.seq).catch(() => {}),
    ACK_CONFIRM.resendMs,
    ctx.deps.signal,
  );
  stream.end();
  // Until the log says so, the ack may have died on the way.
  const outcome = job ? await confirmAck(ctx, job, runEnd.seq) : 'confirmed';
  const arrived = outcome === 'confirmed' || outcome === 'host-gone';
  const rebootExpected = willReboot && arrived;
  if (arrived) {
    ctx.print('info', `run.end acknowledged${rebootExpected ? '; the client reboots the server now' : ''}`);
  } else {
    ctx.print(
      'warn',
      `the client did not confirm the acknowledgement of run.end (${outcome})${willReboot ? ', so it does not reboot' : ''}`,
    );
  }
  return { rebootExpected, rebootFrom };
}

/** Why: the reboot the client began, watched until the host is back and serviced (or a timeout failure). */
async function watchReboot(
  ctx: RunContext,
  cycle: number,
  bootTimeBefore: string,
  rebootFrom: number | null,
) {
  const { clock, options: o, server } = ctx;
  // The reboot starts with the ack: confirming it (live) or resuming takes time the reboot already ran.
  const already = rebootFrom ? Math.min(o.rebootTimeoutMs, Math.max(0, clock.now() - rebootFrom)) : 0;
  ctx.emit({ type: 'reboot', server, time: clock.now(), cycle, phase: 'waiting', elapsedMs: already });
  const r = await waitForReboot(
    ctx.watch(),
    bootTimeBefore,
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
  const statusAfterReboot: StatusAfterReboot = { status: r.status, at: clock.now() };
  // The host is back: the lease returns to its normal length (a rerun elsewhere waits no longer).
  await ctx.lease?.endExtension().catch(() => {});
  return { bootTimeAfter: r.bootTimeAfter, rebootMs: r.elapsedMs + already, statusAfterReboot };
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
      ctx.print('warn', `could not delete the task ${TASK_NAME}: ${(err as Error).message}`);
    }
  }
  ctx.taskOnTarget = false;
  await removeStaged(ctx, cycle);
}

/**
 * Why: the job (it holds the token) and the task XML go; log.jsonl stays on the target. Both at
 * once: the two removals travel in one round trip.
 */
export async function removeStaged(ctx: RunContext, cycle: number): Promise<void> {
  const paths = cyclePaths(ctx.runId, cycle);
  await Promise.all([paths.job, paths.taskXml].map((p) => ctx.target.removeFile(p).catch(() => {})));
}
