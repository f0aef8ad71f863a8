// `wsus-client run --job FILE`: load the job, open log.jsonl and the pipe, publish the active-run
// marker, run, then end the run (end-run.ts: run.end, ack, reboot), clean up, exit.
import { dirname, join } from 'node:path';
import { InputError } from '../model/input-error.ts';
import type { Job } from '../protocol/job.ts';
import type { RunSummary } from '../protocol/messages.ts';
import { abortable } from './abortable.ts';
import { ACTIVE_RUN_TARGET_PATH, removeActiveRun, writeActiveRun } from './active-run.ts';
import { ActivityLog } from './activity-log.ts';
import { endRun } from './end-run.ts';
import type { ClientEnv } from './env.ts';
import { CLIENT_EXIT } from './exit-codes.ts';
import { loadJob } from './load-job.ts';
import { PipeInUseError, type PipeServer, startPipeServer } from './pipe-server.ts';
import type { UpdateAgent } from './ports.ts';
import { runUpdates } from './run.ts';

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Why: the summary of a run that threw, so the connector still gets a run.end naming the error. */
export function fallbackSummary(job: Job, bootTime: string, kind: string, message: string): RunSummary {
  return {
    runId: job.runId,
    cycle: job.cycle,
    mode: job.mode,
    bootTime,
    rebootPendingAtStart: false,
    rebootRequired: false,
    willReboot: false,
    updates: [],
    warnings: [],
    error: { kind, message },
  };
}

/** Why: the task's action on the target; returns the exit code (docs/client.md), never exits itself. */
export async function runCommand(jobArg: string, host: ClientEnv): Promise<number> {
  const say = (text: string) => host.stderr.write(`wsus-client: ${text}\n`);
  const signal = host.signal;

  let jobPath: string;
  let job: Job;
  try {
    jobPath = host.resolvePath(jobArg);
    job = loadJob(jobPath, jobArg);
  } catch (err) {
    say(err instanceof InputError ? err.message : `${jobArg}: ${messageOf(err)}`);
    return CLIENT_EXIT.usage;
  }

  const logPath = join(dirname(jobPath), 'log.jsonl');
  let log: ActivityLog;
  try {
    log = new ActivityLog({
      filePath: logPath,
      onFileError: (e) => say(`cannot write ${logPath} (${e.message}); the log continues in memory only`),
    });
  } catch (err) {
    say(`cannot create the activity log ${logPath}: ${messageOf(err)}`);
    return CLIENT_EXIT.runFailed;
  }

  let server: PipeServer | null = null;
  let agent: UpdateAgent | null = null;
  let markerPath: string | null = null;
  try {
    if (signal.aborted) return CLIENT_EXIT.aborted;

    // Rejected connections are logged, but never ahead of run.start (the first event of a run).
    let rejectedEarly = 0;
    const onReject = (reason: string) => {
      if (log.events.length === 0) rejectedEarly++;
      else log.emit('warn', 'pipe.rejected', `a pipe connection was rejected (${reason})`);
    };
    const unsubscribeEarly = log.subscribe((m) => {
      if (m.type === 'event' && m.kind === 'run.start' && rejectedEarly > 0) {
        queueMicrotask(() =>
          log.emit(
            'warn',
            'pipe.rejected',
            `${rejectedEarly} pipe connection(s) were rejected before the run started`,
          ),
        );
      }
    });

    let resolveAck: (seq: number) => void = () => {};
    const acked = new Promise<number>((r) => {
      resolveAck = r;
    });
    const pipePath = host.pipePath(job.pipe);
    try {
      server = await startPipeServer({
        path: pipePath,
        token: job.token,
        feed: log,
        onAck: resolveAck,
        onReject,
      });
    } catch (err) {
      say(`cannot open the pipe ${pipePath}: ${messageOf(err)}`);
      log.emit('error', 'pipe.failed', `cannot open the pipe ${pipePath}: ${messageOf(err)}`);
      return err instanceof PipeInUseError ? CLIENT_EXIT.pipeUnavailable : CLIENT_EXIT.runFailed;
    }

    let bootTime = '';
    let summary: RunSummary;
    let crashed = false;
    try {
      // The agent first: a host may derive its SystemPort from the job's agent spec (the lab does).
      try {
        agent = host.agent(job.agent);
      } catch (err) {
        throw Object.assign(new Error(`no update agent: ${messageOf(err)}`), { kind: 'agent-unavailable' });
      }
      bootTime = await abortable(host.system.bootTime(), signal);
      try {
        markerPath = host.resolvePath(ACTIVE_RUN_TARGET_PATH);
        writeActiveRun(markerPath, {
          runId: job.runId,
          cycle: job.cycle,
          pipe: job.pipe,
          bootTime,
          pid: process.pid,
          startedAt: new Date().toISOString(),
        });
      } catch (err) {
        markerPath = null;
        say(`cannot write the active-run marker: ${messageOf(err)}`);
      }
      summary = await runUpdates({ job, agent, system: host.system, log, signal });
    } catch (err) {
      if (signal.aborted) return CLIENT_EXIT.aborted;
      crashed = true;
      const kind = (err as { kind?: string }).kind ?? 'client-error';
      say(`the run failed: ${messageOf(err)}`);
      if (log.events.length > 0) log.emit('error', 'run.error', `the run failed: ${messageOf(err)}`);
      summary = fallbackSummary(job, bootTime, kind, messageOf(err));
    }
    unsubscribeEarly();

    return await endRun({ job, log, summary, crashed, acked, system: host.system, signal, say });
  } finally {
    const closing = server?.close();
    if (markerPath) {
      try {
        removeActiveRun(markerPath, job.runId, job.cycle);
      } catch {
        // A marker we cannot remove turns stale at the next boot.
      }
    }
    const closingAgent = agent?.close().catch(() => {});
    // On abort do not wait for a possibly hung agent; the host is going away.
    if (!signal.aborted) await closingAgent;
    await closing;
    log.close();
  }
}
