// The state machine for ONE target, pure over the TargetAccess and Clock ports. It reads as the
// story of a run: connect, take the per-host lock, stage the client, then per cycle (wait until
// serviced, stage the job, start the task, follow the log, ack, wait for the reboot, clean up)
// until the analysis says stop; then the result codes and the report. Each step lives in its own
// file (cycle/fresh.ts, cycle/resume.ts, cycle/complete.ts, lock.ts); docs/architecture.md has the map.
import { buildServerReport, type ReportDeadline } from '../model/report.ts';
import { reportCycle } from '../model/report-cycle.ts';
import { classicResultCode, exitCodeFor, type FailureKind } from '../model/result-codes.ts';
import { finalOutcome, nextStep } from './cycle/analysis.ts';
import { removeStaged } from './cycle/complete.ts';
import { freshCycle } from './cycle/fresh.ts';
import type { Halt, StatusAfterReboot } from './cycle/record.ts';
import { replayEarlierCycles, resumeCycle } from './cycle/resume.ts';
import { classifyFailure } from './errors.ts';
import { newRunId as defaultRunId } from './ids.ts';
import { takeRunLock } from './lock.ts';
import { PROGRAM_DATA_DIR, STAGED_CLIENT_PATH, TASK_NAME } from './paths.ts';
import { deadlineStop } from './rollout-steps.ts';
import { RunContext, type TargetRunDeps } from './run-context.ts';
import { emitHeader } from './run-header.ts';
import { settleWithin } from './signals.ts';
import type { TargetResult } from './target-result.ts';

export type { TargetRunDeps } from './run-context.ts';

type Failure = { kind: FailureKind; message: string };

/** How a run ended: the failure that ended it, and what the maintenance window kept from starting. */
interface RunEnd {
  deadline: ReportDeadline | null;
  failure?: Failure | undefined;
}

/** Why: the one entry point per server; never throws, every failure becomes a result. */
export async function runTarget(deps: TargetRunDeps): Promise<TargetResult> {
  const ctx = new RunContext(deps);
  const startedAt = ctx.clock.now();
  emitHeader(ctx, startedAt);
  let end: RunEnd;
  try {
    // A remote call in flight is bounded but may take minutes (a connect wait): a signal wins at once.
    end = await untilAborted(patchTarget(ctx), deps.signal);
  } catch (err) {
    if (deps.signal?.aborted) ctx.abandon();
    end = { deadline: null, failure: deps.signal?.aborted ? interrupted(ctx) : classifyFailure(err) };
  }
  if (end.failure) ctx.print('error', end.failure.message);
  // Interrupted: the summary and the report come within seconds, whatever the target does.
  const cleanup = finish(ctx, end.failure);
  await (end.failure?.kind === 'interrupted'
    ? settleWithin(ctx.clock, cleanup, INTERRUPT_CLEANUP_MS)
    : cleanup);
  const out = result(ctx, startedAt, end);
  ctx.close();
  return out;
}

const INTERRUPT_CLEANUP_MS = 5_000;

/** Why: rejects with the signal's reason as soon as it fires, even if `work` never settles. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    // Settled either way: a late failure of the abandoned work is never an unhandled rejection.
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Why: an interrupted run says what it leaves running on the target, and how to pick it up. */
function interrupted(ctx: RunContext): Failure {
  const left = ctx.taskOnTarget
    ? `; on the target the task ${TASK_NAME} of run ${ctx.runId} cycle ${ctx.currentCycle} and its client still run`
    : '';
  return {
    kind: 'interrupted',
    message: `the connector was interrupted${left}; run the same command again to resume`,
  };
}

/** Why: the run itself, cycle after cycle, until the analysis says stop or fail. */
async function patchTarget(ctx: RunContext): Promise<RunEnd> {
  const { target, options: o } = ctx;
  await target.connect((text) => ctx.print('warn', text));
  ctx.print('info', `connected to ${ctx.server}`);
  // job.json will hold the pipe token: local users must not inherit read access to it.
  await target.protectFolder?.(PROGRAM_DATA_DIR);
  const grant = await takeRunLock(
    target,
    ctx.clock,
    {
      runId: (ctx.deps.newRunId ?? defaultRunId)(ctx.clock.now()),
      holder: o.holder,
      fingerprint: o.fingerprint,
      server: ctx.server,
      leaseMs: o.leaseMs,
      holderAlive: ctx.deps.holderAlive,
    },
    (level, text) => ctx.print(level, text),
  );
  const lease = grant.lease;
  ctx.lease = lease;
  let cycle = 1;
  if (grant.resumes) {
    cycle = grant.resumes.cycle;
    ctx.print(
      'info',
      `resuming run ${ctx.runId} at cycle ${cycle} (its connector is gone: lease expired or process dead)`,
    );
    await replayEarlierCycles(ctx, grant.resumes);
  } else if (o.stageClient) {
    await target.writeFile(STAGED_CLIENT_PATH, o.stageClient);
    ctx.print('info', `staged the client at ${STAGED_CLIENT_PATH}`);
  }
  let resuming = grant.resumes !== null;
  let statusAfterReboot: StatusAfterReboot | undefined;
  for (;;) {
    ctx.currentCycle = cycle;
    const late = resuming ? null : deadlineStop(ctx, `cycle ${cycle}`);
    if (late) return { deadline: late };
    await lease.setCycle(cycle);
    const end = resuming ? await resumeCycle(ctx, cycle) : await freshCycle(ctx, cycle, statusAfterReboot);
    resuming = false;
    statusAfterReboot = end.statusAfterReboot;
    ctx.history.push(end.record);
    if (lease.lostTo) return lockLost(lease.lostTo, end.halt);
    const next = nextStep(ctx.history, o.maxCycles, end.halt);
    if (next.kind === 'fail')
      return { deadline: null, failure: { kind: next.failure, message: next.message } };
    if (next.kind === 'stop') return { deadline: next.deadline ?? null };
    cycle++;
  }
}

/** Why: another run took the host over while this one waited (a reboot, a slow client): the run ends. */
function lockLost(by: { runId: string; holder: string }, halt: Halt | undefined): RunEnd {
  const message = `another run took the host over while this one waited: run ${by.runId} by ${by.holder}`;
  return {
    deadline: halt?.kind === 'deadline' ? halt.deadline : null,
    failure: { kind: 'lock-held', message },
  };
}

/** Why: never leave the host half-done: remove a task that never started, keep or release the lock. */
async function finish(ctx: RunContext, failure: Failure | undefined): Promise<void> {
  if (ctx.taskOnTarget && failure?.kind === 'task-not-started') {
    // The client never came up: stop and remove the task so the host is not left half-done.
    await ctx.target.endTask(TASK_NAME).catch(() => {});
    await ctx.target.deleteTask(TASK_NAME).catch(() => {});
    await removeStaged(ctx, ctx.currentCycle).catch(() => {});
    ctx.taskOnTarget = false;
  }
  const lease = ctx.lease;
  if (lease) {
    lease.stopRenewing();
    try {
      // A client or task left behind can be resumed by a rerun with the same arguments: keep the record.
      if (failure?.kind === 'interrupted' || ctx.taskOnTarget) await lease.expireNow();
      else await lease.release();
    } catch {
      // The host may be down (reboot timeout); the lease then simply runs out.
    }
  }
  await ctx.target.close().catch(() => {});
}

/** Why: the classic result code, the exit code and the report, from the cycles and the failure. */
function result(ctx: RunContext, startedAt: number, end: RunEnd): TargetResult {
  const o = ctx.options;
  const final = finalOutcome(ctx.history, o.mode, end.failure, end.deadline);
  const resultCode = classicResultCode(final.outcome);
  const exitCode = exitCodeFor(final.outcome, o.exitCodes);
  const report = buildServerReport({
    server: ctx.server,
    mode: o.mode,
    runId: ctx.lease?.runId ?? null,
    resultCode,
    exitCode,
    exitCodes: o.exitCodes,
    startedAt: new Date(startedAt),
    finishedAt: new Date(ctx.clock.now()),
    cycles: ctx.history.map(reportCycle),
    cycleUpdates: ctx.history.map((c) => ({ n: c.n, updates: c.summary.updates })),
    warnings: final.warnings,
    error: final.error,
    deadline: end.deadline ?? undefined,
  });
  const outcome: TargetResult = { server: ctx.server, report, outcome: final.outcome, resultCode, exitCode };
  ctx.emit({ type: 'done', server: ctx.server, time: ctx.clock.now(), result: outcome });
  return outcome;
}
