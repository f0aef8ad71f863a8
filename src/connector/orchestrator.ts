// The state machine for ONE target (DESIGN.md steps 1–7, issue 5 "The orchestration"), pure over
// the TargetAccess and Clock ports: lock → (stage client) → per cycle: wait until serviced, stage
// job + task XML, create the task without /F, start it, follow the client's log, ack, reboot wait,
// clean up → decide the next step → result codes and report. A resumed run re-reads the logs of
// the cycles it missed from seq 0, so nothing is lost or done twice.
import { formatDuration } from '../model/duration.ts';
import { buildServerReport, type ReportCycle } from '../model/report.ts';
import { classicResultCode, type FailureKind, posixExitCode } from '../model/result-codes.ts';
import { SCHED_S_TASK_HAS_NOT_RUN } from '../model/task-result.ts';
import { parseLogFile } from '../protocol/log-file.ts';
import type { ActivityEvent } from '../protocol/messages.ts';
import { ack } from '../protocol/pipe-client.ts';
import { Backoff } from './backoff.ts';
import { type FollowResult, followClient } from './client-follow.ts';
import { finalOutcome, nextStep } from './cycle-analysis.ts';
import type { CycleRecord } from './cycle-record.ts';
import { ConnectorFailure, classifyFailure } from './errors.ts';
import type { ConnectorSink, StepLevel } from './events.ts';
import { sameBootTime, waitForReboot, waitUntilServiced } from './host-wait.ts';
import { newRunId as defaultRunId, newToken as defaultToken } from './ids.ts';
import { buildJob, cycleTask, readStagedJob, stageCycle } from './job-stage.ts';
import { acquireLock, type LeaseLock, type LockRecord } from './lock.ts';
import { cyclePaths, STAGED_CLIENT_PATH, TASK_NAME } from './paths.ts';
import { type ClientStatus, type Clock, type TargetAccess, TargetError } from './ports.ts';
import { POLL, type TargetRunOptions } from './run-options.ts';
import type { TargetResult } from './target-result.ts';

export interface TargetRunDeps {
  target: TargetAccess;
  clock: Clock;
  options: TargetRunOptions;
  sink: ConnectorSink;
  signal?: AbortSignal | undefined;
  /** Extra header lines (transport, inventory...) the caller knows about. */
  header?: [string, string][] | undefined;
  newRunId?: ((nowMs: number) => string) | undefined;
  newToken?: (() => string) | undefined;
  /** false when lock.json's holder is known to be dead (same machine, no such process). */
  holderAlive?: ((holder: string) => boolean | undefined) | undefined;
}

/** Why: the one entry point per server; never throws, every failure becomes a result. */
export function runTarget(deps: TargetRunDeps): Promise<TargetResult> {
  return new TargetRun(deps).run();
}

function isTargetError(err: unknown, kind: TargetError['kind']): boolean {
  return err instanceof TargetError && err.kind === kind;
}

function selectionText(o: TargetRunOptions): string {
  const s = o.selection;
  const parts: string[] = [];
  if (s.include) parts.push(`include ${s.include.length ? s.include.join(' ') : '(empty)'}`);
  if (s.exclude.length) parts.push(`exclude ${s.exclude.join(' ')}`);
  if (s.categories) parts.push(`categories ${s.categories.join(', ')}`);
  if (s.severities) parts.push(`severities ${s.severities.join(', ')}`);
  if (s.titleRegex !== undefined) parts.push(`title /${s.titleRegex}/i`);
  if (s.skipOptional) parts.push('skip optional');
  return parts.length ? parts.join('; ') : 'all applicable updates';
}

class TargetRun {
  private readonly d: TargetRunDeps;
  private readonly o: TargetRunOptions;
  private readonly server: string;
  private readonly history: CycleRecord[] = [];
  private lease: LeaseLock | null = null;
  private runId: string | null = null;
  /** The current cycle's task (and job) exist on the target and are not cleaned up yet. */
  private dirty = false;
  private renewWarned = false;
  private currentCycle = 0;

  constructor(deps: TargetRunDeps) {
    this.d = deps;
    this.o = deps.options;
    this.server = deps.target.server;
  }

  private get clock(): Clock {
    return this.d.clock;
  }

  private get target(): TargetAccess {
    return this.d.target;
  }

  private step(level: StepLevel, text: string): void {
    this.d.sink({ type: 'step', server: this.server, time: this.clock.now(), level, text });
  }

  private watch() {
    return { target: this.target, clock: this.clock, clientPath: this.o.clientPath, signal: this.d.signal };
  }

  async run(): Promise<TargetResult> {
    const startedAt = this.clock.now();
    this.emitHeader(startedAt);
    let failure: { kind: FailureKind; message: string } | undefined;
    try {
      await this.main();
    } catch (err) {
      failure = this.d.signal?.aborted
        ? { kind: 'interrupted', message: 'the connector was interrupted; run it again to resume' }
        : classifyFailure(err);
      this.step('error', failure.message);
    }
    await this.finish(failure);
    return this.result(startedAt, failure);
  }

  private emitHeader(now: number): void {
    const o = this.o;
    const header: [string, string][] = [
      ['server', this.server],
      ['mode', o.mode],
      ['restart', o.restart ? 'yes' : 'no'],
      ['selection', selectionText(o)],
      ['source', o.source],
      ['client', o.stageClient ? `${o.clientPath} (staged from a local file)` : o.clientPath],
      ['max cycles', String(o.maxCycles)],
      ['reboot timeout', formatDuration(o.rebootTimeoutMs)],
      ['start', o.startDelayMs > 0 ? `${formatDuration(o.startDelayMs)} after registering` : 'at once'],
      ['exit codes', o.exitCodes],
      ...(this.d.header ?? []),
    ];
    this.d.sink({ type: 'start', server: this.server, time: now, header });
  }

  private async main(): Promise<void> {
    const { target, clock, o } = { target: this.target, clock: this.clock, o: this.o };
    await target.connect();
    this.step('info', `connected to ${this.server}`);
    const grant = await acquireLock(target, clock, {
      runId: (this.d.newRunId ?? defaultRunId)(clock.now()),
      holder: o.holder,
      fingerprint: o.fingerprint,
      server: this.server,
      leaseMs: o.leaseMs,
      holderAlive: this.d.holderAlive,
    });
    this.lease = grant.lease;
    this.runId = grant.lease.runId;
    if (grant.replacedStale) {
      this.step(
        'warn',
        `replaced an expired lock of run ${grant.replacedStale.runId} (other arguments, nothing active)`,
      );
    }
    this.lease.startRenewing((err) => {
      // During a reboot the host is expected to be unreachable; the lease was extended for it.
      if (this.renewWarned || isTargetError(err, 'unreachable')) return;
      this.renewWarned = true;
      this.step(
        'warn',
        `could not renew the lock lease: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
    let cycle = 1;
    if (grant.resumes) {
      cycle = grant.resumes.cycle;
      this.step(
        'info',
        `resuming run ${this.runId} at cycle ${cycle} (its connector is gone: lease expired or process dead)`,
      );
      await this.replayEarlierCycles(grant.resumes);
    } else {
      this.step('info', `run ${this.runId}: lock acquired (lease ${formatDuration(o.leaseMs)}, renewed)`);
      if (o.stageClient) {
        await target.writeFile(STAGED_CLIENT_PATH, o.stageClient);
        this.step('info', `staged the client at ${STAGED_CLIENT_PATH}`);
      }
    }
    let resuming = grant.resumes !== null;
    for (;;) {
      this.currentCycle = cycle;
      await this.lease.setCycle(cycle);
      const record = resuming ? await this.resumeCycle(cycle) : await this.freshCycle(cycle);
      resuming = false;
      this.history.push(record);
      if (this.lease.lostTo) {
        throw new ConnectorFailure(
          'lock-held',
          `another run took the host over while this one waited: run ${this.lease.lostTo.runId} by ${this.lease.lostTo.holder}`,
        );
      }
      const next = nextStep(this.history, o.maxCycles);
      if (next.kind === 'fail') throw new ConnectorFailure(next.failure, next.message);
      if (next.kind === 'stop') return;
      cycle++;
    }
  }

  /** A reboot of this run happened before the cycle that is about to start. */
  private afterReboot(): boolean {
    return this.history.some((c) => c.rebooted);
  }

  /** Status before a cycle: nobody else's client active, servicing finished. */
  private async readyForCycle(): Promise<ClientStatus> {
    let status = await this.target.clientStatus(this.o.clientPath);
    const active = status.activeRun;
    // A client of this very run (a resumed cycle, or the last one still exiting) is not a competitor.
    if (active && active.runId !== this.runId) {
      throw new ConnectorFailure(
        'lock-held',
        `${this.server} is busy: client run ${active.runId} cycle ${active.cycle}${active.pid ? ` (pid ${active.pid})` : ''} is active`,
      );
    }
    status = await waitUntilServiced(this.watch(), status, this.o.rebootTimeoutMs, () =>
      this.step(
        'info',
        'servicing (CBS) still in progress after the last boot; waiting before the next cycle',
      ),
    );
    return status;
  }

  private async freshCycle(cycle: number): Promise<CycleRecord> {
    const { target, clock, o } = this;
    const runId = this.runId!;
    await this.readyForCycle();
    const job = buildJob(o, runId, cycle, (this.d.newToken ?? defaultToken)());
    const paths = cyclePaths(runId, cycle);
    this.d.sink({ type: 'cycle.start', server: this.server, time: clock.now(), cycle, dir: paths.dir });
    const staged = await stageCycle(target, o, job, clock.now());
    try {
      await target.createTask(TASK_NAME, staged.task, false);
    } catch (err) {
      await this.removeStaged(cycle);
      if (isTargetError(err, 'task-exists')) {
        const status = await target.clientStatus(o.clientPath).catch(() => null);
        const who = status?.activeRun
          ? `client run ${status.activeRun.runId} cycle ${status.activeRun.cycle}`
          : 'another run';
        throw new ConnectorFailure(
          'lock-held',
          `${this.server} is busy: the task ${TASK_NAME} already exists (held by ${who}); refusing to replace it`,
        );
      }
      throw err;
    }
    this.dirty = true;
    if (o.startDelayMs > 0) {
      this.step(
        'info',
        `task ${TASK_NAME} registered; its trigger fires at ${staged.task.startBoundary.toISOString()}`,
      );
    } else {
      await target.runTask(TASK_NAME);
      this.step('info', `task ${TASK_NAME} registered and started`);
    }
    const followed = await this.follow(job, staged.task.startBoundary.getTime(), cycle);
    return this.completeCycle(cycle, followed);
  }

  private async follow(job: Parameters<typeof followClient>[1]['job'], startAt: number, cycle: number) {
    const onEvent = (event: ActivityEvent) =>
      this.d.sink({ type: 'client', server: this.server, cycle, event });
    return followClient(this.watch(), { job, startAt, startTimeoutMs: this.o.startTimeoutMs, onEvent });
  }

  /** The cycle a dead connector was in: continue it from whatever state it reached. */
  private async resumeCycle(cycle: number): Promise<CycleRecord> {
    const { target, clock } = this;
    const runId = this.runId!;
    const paths = cyclePaths(runId, cycle);
    const job = await readStagedJob(target, runId, cycle);
    const logBuf = await target.readFile(paths.log);
    if (!job && !logBuf) {
      this.step('info', `cycle ${cycle} had not started; starting it now`);
      await target.deleteTask(TASK_NAME).catch(() => {});
      return this.freshCycle(cycle);
    }
    this.d.sink({ type: 'cycle.start', server: this.server, time: clock.now(), cycle, dir: paths.dir });
    if (job) {
      await this.readyForCycle();
      const task = await target.queryTask(TASK_NAME);
      const startAt = clock.now();
      if (!task && !logBuf) {
        await target.createTask(TASK_NAME, cycleTask(this.o, job, new Date(clock.now())), true);
        await target.runTask(TASK_NAME);
        this.step('info', `task ${TASK_NAME} re-registered and started for cycle ${cycle}`);
      } else if (task && task.lastResult === SCHED_S_TASK_HAS_NOT_RUN && !/running/i.test(task.status)) {
        // Resuming: whatever start time was planned, the operator wants it going now.
        await target.runTask(TASK_NAME);
        this.step('info', `task ${TASK_NAME} had not run yet; started it`);
      }
      this.dirty = true;
      this.step('info', `re-reading the client's log of cycle ${cycle} from seq 0`);
      return this.completeCycle(cycle, await this.follow(job, startAt, cycle));
    }
    // The job was cleaned up, so the cycle had ended: its log file has everything.
    const content = parseLogFile(logBuf!.toString('utf8'), paths.log);
    if (!content.runEnd) {
      throw new ConnectorFailure('client-failed', `cycle ${cycle}'s log has no summary and its job is gone`);
    }
    for (const event of content.events) this.d.sink({ type: 'client', server: this.server, cycle, event });
    const acked = content.after.some((e) => e.kind === 'ack.received');
    return this.completeCycle(cycle, {
      runEnd: content.runEnd,
      events: content.events,
      stream: null,
      fromLogFile: true,
      postRun: acked ? 'acked' : 'ack-timeout',
    });
  }

  /** After run.end: store, ack, wait for the reboot if one follows, clean up. */
  private async completeCycle(cycle: number, f: FollowResult): Promise<CycleRecord> {
    const { clock, o } = this;
    const summary = f.runEnd.summary;
    this.d.sink({
      type: 'cycle.end',
      server: this.server,
      time: clock.now(),
      cycle,
      summary,
      fromLogFile: f.fromLogFile,
    });
    let rebootExpected = false;
    if (f.stream) {
      if (summary.willReboot) await this.lease?.extendFor(o.rebootTimeoutMs).catch(() => {});
      await ack(f.stream, f.runEnd.seq);
      f.stream.end();
      rebootExpected = summary.willReboot;
      this.step('info', `run.end acknowledged${rebootExpected ? '; the client reboots the server now' : ''}`);
    } else {
      rebootExpected = summary.willReboot && f.postRun === 'acked';
      if (summary.willReboot && !rebootExpected) {
        this.step('warn', 'the client exited without an acknowledgement, so it did not reboot');
      }
    }
    const record: CycleRecord = {
      n: cycle,
      summary,
      events: f.events,
      fromLogFile: f.fromLogFile,
      startedAfterReboot: this.afterReboot(),
      rebooted: false,
      bootTimeAfter: summary.bootTime,
    };
    if (rebootExpected) {
      this.d.sink({
        type: 'reboot',
        server: this.server,
        time: clock.now(),
        cycle,
        phase: 'waiting',
        elapsedMs: 0,
      });
      const r = await waitForReboot(
        this.watch(),
        summary.bootTime,
        o.rebootTimeoutMs,
        (phase, elapsedMs, bootTime) =>
          this.d.sink({
            type: 'reboot',
            server: this.server,
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
      await this.lease?.renew().catch(() => {});
    } else {
      await this.waitTaskEnded();
    }
    await this.cleanupCycle(cycle);
    return record;
  }

  /** The client exits right after the ack; delete the task only once it has. */
  private async waitTaskEnded(): Promise<void> {
    const deadline = this.clock.now() + POLL.taskEndMaxWaitMs;
    const backoff = new Backoff(POLL.minMs, POLL.maxMs);
    while (this.clock.now() < deadline) {
      const task = await this.target.queryTask(TASK_NAME).catch(() => null);
      if (!task || !/running/i.test(task.status)) return;
      await this.clock.sleep(backoff.next(), this.d.signal);
    }
  }

  private async cleanupCycle(cycle: number): Promise<void> {
    try {
      await this.target.deleteTask(TASK_NAME);
    } catch (err) {
      if (!isTargetError(err, 'task-not-found')) {
        this.step('warn', `could not delete the task ${TASK_NAME}: ${(err as Error).message}`);
      }
    }
    this.dirty = false;
    await this.removeStaged(cycle);
  }

  /** The job (it holds the token) and the task XML go; log.jsonl stays on the target. */
  private async removeStaged(cycle: number): Promise<void> {
    const paths = cyclePaths(this.runId!, cycle);
    await this.target.removeFile(paths.job).catch(() => {});
    await this.target.removeFile(paths.taskXml).catch(() => {});
  }

  /** A resumed run rebuilds cycles 1..k-1 from their kept log files (seq 0 onwards). */
  private async replayEarlierCycles(resumes: LockRecord): Promise<void> {
    const runId = resumes.runId;
    const summaries: { n: number; content: ReturnType<typeof parseLogFile> }[] = [];
    for (let n = 1; n < resumes.cycle; n++) {
      const log = cyclePaths(runId, n).log;
      const buf = await this.target.readFile(log);
      if (!buf) continue;
      const content = parseLogFile(buf.toString('utf8'), log);
      if (content.runEnd) summaries.push({ n, content });
    }
    const status = await this.target.clientStatus(this.o.clientPath).catch(() => null);
    summaries.forEach(({ n, content }, i) => {
      const summary = content.runEnd!.summary;
      const nextBoot =
        summaries[i + 1]?.content.runEnd?.summary.bootTime ?? status?.bootTime ?? summary.bootTime;
      const rebooted = !sameBootTime(nextBoot, summary.bootTime);
      this.d.sink({
        type: 'cycle.start',
        server: this.server,
        time: this.clock.now(),
        cycle: n,
        dir: cyclePaths(runId, n).dir,
      });
      for (const event of content.events)
        this.d.sink({ type: 'client', server: this.server, cycle: n, event });
      this.d.sink({
        type: 'cycle.end',
        server: this.server,
        time: this.clock.now(),
        cycle: n,
        summary,
        fromLogFile: true,
      });
      this.history.push({
        n,
        summary,
        events: content.events,
        fromLogFile: true,
        startedAfterReboot: this.afterReboot(),
        rebooted,
        bootTimeAfter: nextBoot,
      });
    });
  }

  private async finish(failure: { kind: FailureKind; message: string } | undefined): Promise<void> {
    if (this.dirty && failure?.kind === 'task-not-started') {
      // The client never came up: stop and remove the task so the host is not left half-done.
      await this.target.endTask(TASK_NAME).catch(() => {});
      await this.target.deleteTask(TASK_NAME).catch(() => {});
      await this.removeStaged(this.currentCycle).catch(() => {});
      this.dirty = false;
    }
    const lease = this.lease;
    if (lease) {
      lease.stopRenewing();
      try {
        // A client or task left behind can be resumed by a rerun with the same arguments: keep the record.
        if (failure?.kind === 'interrupted' || this.dirty) await lease.expireNow();
        else await lease.release();
      } catch {
        // The host may be down (reboot timeout); the lease then simply runs out.
      }
    }
    await this.target.close().catch(() => {});
  }

  private result(
    startedAt: number,
    failure: { kind: FailureKind; message: string } | undefined,
  ): TargetResult {
    const final = finalOutcome(this.history, this.o.mode, failure);
    const resultCode = classicResultCode(final.outcome);
    const exitCode = this.o.exitCodes === 'opcon' ? resultCode : posixExitCode(final.outcome);
    const cycles: ReportCycle[] = this.history.map((c) => ({
      n: c.n,
      bootTimeBefore: c.summary.bootTime || null,
      bootTimeAfter: c.bootTimeAfter,
      found: c.summary.updates.filter((u) => u.status !== 'filtered').length,
      installed: c.summary.updates.filter((u) => u.status === 'installed').length,
      failed: c.summary.updates.filter((u) => u.status === 'failed').length,
      rebootRequired: c.summary.rebootRequired,
      rebooted: c.rebooted,
      ...(c.rebootMs !== undefined ? { rebootSeconds: Math.round(c.rebootMs / 100) / 10 } : {}),
      rebootPendingAtStart: c.summary.rebootPendingAtStart,
      ...(c.fromLogFile ? { resumed: true } : {}),
    }));
    const report = buildServerReport({
      server: this.server,
      mode: this.o.mode,
      runId: this.runId,
      resultCode,
      exitCode,
      exitCodes: this.o.exitCodes,
      startedAt: new Date(startedAt),
      finishedAt: new Date(this.clock.now()),
      cycles,
      cycleUpdates: this.history.map((c) => ({ n: c.n, updates: c.summary.updates })),
      warnings: final.warnings,
      error: final.error,
    });
    const result: TargetResult = {
      server: this.server,
      report,
      outcome: final.outcome,
      resultCode,
      exitCode,
    };
    this.d.sink({ type: 'done', server: this.server, time: this.clock.now(), result });
    return result;
  }
}
