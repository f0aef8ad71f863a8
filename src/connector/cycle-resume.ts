// Resuming a run whose connector died: the cycles it finished are rebuilt from their kept log
// files (seq 0 onwards), and the cycle it was in continues from whatever state it reached, so
// nothing is lost or done twice.
import { SCHED_S_TASK_HAS_NOT_RUN } from '../model/task-result.ts';
import { parseLogFile } from '../protocol/log-file.ts';
import { completeCycle } from './cycle-complete.ts';
import { followCycle, freshCycle, readyForCycle } from './cycle-fresh.ts';
import type { CycleRecord } from './cycle-record.ts';
import { ConnectorFailure } from './errors.ts';
import { sameBootTime } from './host-wait.ts';
import { cycleTask, readStagedJob } from './job-stage.ts';
import type { LockRecord } from './lock.ts';
import { cyclePaths, TASK_NAME } from './paths.ts';
import type { RunContext } from './run-context.ts';

/** Why: the cycle a dead connector was in, continued from whatever state it reached. */
export async function resumeCycle(ctx: RunContext, cycle: number): Promise<CycleRecord> {
  const { target, clock } = ctx;
  const paths = cyclePaths(ctx.run, cycle);
  const job = await readStagedJob(target, ctx.run, cycle);
  const logBuf = await target.readFile(paths.log);
  if (!job && !logBuf) {
    ctx.step('info', `cycle ${cycle} had not started; starting it now`);
    await target.deleteTask(TASK_NAME).catch(() => {});
    return freshCycle(ctx, cycle);
  }
  ctx.emit({ type: 'cycle.start', server: ctx.server, time: clock.now(), cycle, dir: paths.dir });
  if (job) {
    await readyForCycle(ctx);
    const task = await target.queryTask(TASK_NAME);
    const startAt = clock.now();
    if (!task && !logBuf) {
      await target.createTask(TASK_NAME, cycleTask(ctx.options, job, new Date(clock.now())), true);
      await target.runTask(TASK_NAME);
      ctx.step('info', `task ${TASK_NAME} re-registered and started for cycle ${cycle}`);
    } else if (task && task.lastResult === SCHED_S_TASK_HAS_NOT_RUN) {
      // Resuming: whatever start time was planned, the operator wants it going now.
      await target.runTask(TASK_NAME);
      ctx.step('info', `task ${TASK_NAME} had not run yet; started it`);
    }
    ctx.dirty = true;
    ctx.step('info', `re-reading the client's log of cycle ${cycle} from seq 0`);
    return completeCycle(ctx, cycle, await followCycle(ctx, job, startAt, cycle));
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
    events: content.events,
    stream: null,
    fromLogFile: true,
    postRun: acked ? 'acked' : 'ack-timeout',
  });
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
      events: content.events,
      fromLogFile: true,
      startedAfterReboot: ctx.afterReboot(),
      rebooted: !sameBootTime(nextBoot, summary.bootTime),
      bootTimeAfter: nextBoot,
    });
  });
}
