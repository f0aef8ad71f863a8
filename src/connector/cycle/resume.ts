// Resuming a run whose connector died: the cycles it finished are rebuilt from their kept log
// files (seq 0 onwards), and the cycle it was in continues from whatever state it reached, so
// nothing is lost or done twice.
import { SCHED_S_TASK_HAS_NOT_RUN, taskPhase } from '../../model/task-result.ts';
import { ackedAt, parseLogFile } from '../../protocol/log-file.ts';
import { ConnectorFailure } from '../errors.ts';
import type { LockRecord } from '../lock.ts';
import { cyclePaths, TASK_NAME } from '../paths.ts';
import type { RunContext } from '../run-context.ts';
import { completeCycle } from './complete.ts';
import { followCycle, freshCycle, readyForCycle } from './fresh.ts';
import { sameBootTime } from './host-wait.ts';
import { cycleTask, readStagedJob, targetClockOffsetMs } from './job-stage.ts';
import { type CycleEnd, keptEvents } from './record.ts';

/** Why: the cycle a dead connector was in, continued from whatever state it reached. */
export async function resumeCycle(ctx: RunContext, cycle: number): Promise<CycleEnd> {
  const { target, clock } = ctx;
  const paths = cyclePaths(ctx.runId, cycle);
  const staged = await readStagedJob(target, ctx.runId, cycle);
  const logBuf = await target.readFile(paths.log);
  if (staged === 'damaged' && !logBuf) {
    // The connector died while writing it, so no client ever read it: stage the cycle again.
    ctx.print('warn', `the job file of cycle ${cycle} is damaged (half-written); staging the cycle again`);
    await target.deleteTask(TASK_NAME).catch(() => {});
    return freshCycle(ctx, cycle);
  }
  const job = staged === 'damaged' ? null : staged;
  if (!job && !logBuf) {
    ctx.print('info', `cycle ${cycle} had not started; starting it now`);
    await target.deleteTask(TASK_NAME).catch(() => {});
    return freshCycle(ctx, cycle);
  }
  if (job && logBuf && !parseLogFile(logBuf.toString('utf8')).runEnd && (await clientDied(ctx, cycle))) {
    return rerunDeadCycle(ctx, cycle, logBuf);
  }
  ctx.emit({ type: 'cycle.start', server: ctx.server, time: clock.now(), cycle, dir: paths.dir });
  if (job) {
    const ready = await readyForCycle(ctx);
    const task = await target.queryTask(TASK_NAME);
    const startAt = clock.now();
    if (!task && !logBuf) {
      const onTarget = new Date(clock.now() + targetClockOffsetMs(ready, clock.now()));
      await target.createTask(TASK_NAME, cycleTask(ctx.options, job, onTarget), true);
      await target.runTask(TASK_NAME);
      ctx.print('info', `task ${TASK_NAME} re-registered and started for cycle ${cycle}`);
    } else if (task && task.lastResult === SCHED_S_TASK_HAS_NOT_RUN) {
      // Resuming: whatever start time was planned, the operator wants it going now.
      await target.runTask(TASK_NAME);
      ctx.print('info', `task ${TASK_NAME} had not run yet; started it`);
    }
    ctx.taskOnTarget = true;
    ctx.print('info', `re-reading the client's log of cycle ${cycle} from seq 0`);
    return completeCycle(ctx, cycle, await followCycle(ctx, job, startAt, cycle), job);
  }
  // The job was cleaned up, so the cycle had ended: its log file has everything.
  const content = parseLogFile(logBuf!.toString('utf8'), paths.log);
  if (!content.runEnd) {
    throw new ConnectorFailure('client-failed', `cycle ${cycle}'s log has no summary and its job is gone`);
  }
  for (const event of content.events) ctx.emit({ type: 'client', server: ctx.server, cycle, event });
  const acked = content.after.some((e) => e.kind === 'ack.received');
  return completeCycle(ctx, cycle, {
    runEnd: content.runEnd,
    events: keptEvents(content.events),
    stream: null,
    fromLogFile: true,
    postRun: acked ? 'acked' : 'ack-timeout',
    ackedAt: ackedAt(content),
  });
}

/** Why: a cycle whose log has no summary is dead when neither its client nor its task still runs. */
async function clientDied(ctx: RunContext, cycle: number): Promise<boolean> {
  const status = await ctx.target.clientStatus(ctx.options.clientPath);
  const a = status.activeRun;
  if (a && a.runId === ctx.runId && a.cycle === cycle) return false;
  const task = await ctx.target.queryTask(TASK_NAME);
  return !task || taskPhase(task.lastResult) === 'ended';
}

/**
 * Why: a client killed mid-cycle never writes its summary; resuming it would wait for nothing.
 * Its log is kept beside the cycle for the operator, then the cycle is staged and run again
 * (the search of the new client sees what the dead one already installed).
 */
async function rerunDeadCycle(ctx: RunContext, cycle: number, logBuf: Buffer): Promise<CycleEnd> {
  const { target } = ctx;
  const paths = cyclePaths(ctx.runId, cycle);
  const content = parseLogFile(logBuf.toString('utf8'));
  const last = content.events.at(-1);
  ctx.print(
    'warn',
    `the client of cycle ${cycle} died before its summary (last event: ${last?.kind ?? 'none'}); cleaning up and running the cycle again`,
  );
  await target.endTask(TASK_NAME).catch(() => {});
  await target.deleteTask(TASK_NAME).catch(() => {});
  await target.writeFile(`${paths.dir}\\log.dead-${ctx.clock.now()}.jsonl`, logBuf);
  await target.removeFile(paths.log);
  await target.removeFile(paths.job);
  return freshCycle(ctx, cycle);
}

/** Why: a resumed run rebuilds cycles 1..k-1 from their kept log files, for the report and the codes. */
export async function replayEarlierCycles(ctx: RunContext, resumes: LockRecord): Promise<void> {
  const runId = resumes.runId;
  const summaries: { n: number; content: ReturnType<typeof parseLogFile> }[] = [];
  for (let n = 1; n < resumes.cycle; n++) {
    const log = cyclePaths(runId, n).log;
    const buf = await ctx.target.readFile(log);
    if (!buf) continue;
    const content = parseLogFile(buf.toString('utf8'), log);
    if (content.runEnd) summaries.push({ n, content });
  }
  const status = await ctx.target.clientStatus(ctx.options.clientPath).catch(() => null);
  summaries.forEach(({ n, content }, i) => {
    const summary = content.runEnd!.summary;
    const nextBoot =
      summaries[i + 1]?.content.runEnd?.summary.bootTime ?? status?.bootTime ?? summary.bootTime;
    const time = ctx.clock.now();
    ctx.emit({ type: 'cycle.start', server: ctx.server, time, cycle: n, dir: cyclePaths(runId, n).dir });
    for (const event of content.events) ctx.emit({ type: 'client', server: ctx.server, cycle: n, event });
    ctx.emit({ type: 'cycle.end', server: ctx.server, time, cycle: n, summary, fromLogFile: true });
    ctx.history.push({
      n,
      summary,
      events: keptEvents(content.events),
      fromLogFile: true,
      startedAfterReboot: ctx.hasRebooted(),
      rebooted: !sameBootTime(nextBoot, summary.bootTime),
      bootTimeAfter: nextBoot,
    });
  });
}
