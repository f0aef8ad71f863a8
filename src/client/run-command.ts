// `wsus-client run --job FILE`: load the job, open log.jsonl and the pipe, publish the active-run
// marker, run under the job's deadline, then end the run (end-run.ts: run.end, ack, reboot), clean
// up, exit. Each step below decides one thing and returns its outcome.
import { dirname, join } from 'node:path';
import { InputError } from '../model/input-error.ts';
import type { Job } from '../protocol/job.ts';
import type { RunSummary } from '../protocol/messages.ts';
import { abortable, eitherSignal, sleep } from './abortable.ts';
import { ACTIVE_RUN_TARGET_PATH, removeActiveRun, writeActiveRun } from './active-run.ts';
import { ActivityLog } from './activity-log.ts';
import { startDeadline } from './client-deadline.ts';
import { endRun } from './end-run.ts';
import type { ClientEnv } from './env.ts';
import { CLIENT_EXIT } from './exit-codes.ts';
import { heartbeatMsFromEnv } from './heartbeat.ts';
import { loadJob } from './load-job.ts';
import { PipeInUseError, type PipeServer, startPipeServer } from './pipe-server.ts';
import type { UpdateAgent } from './ports.ts';
import { runUpdates } from './run.ts';

type Say = (text: string) => void;

/** What a run holds that the clean-up must release. */
interface Held {
  server: PipeServer | null;
  agent: UpdateAgent | null;
  markerPath: string | null;
  /** The deadline fired: the agent may hang, so its close is not awaited for long. */
  timedOut: boolean;
}

/** A hung agent after the deadline gets this long to close before the client exits anyway. */
const CLOSE_AFTER_DEADLINE_MS = 30_000;

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
export async function runCommand(jobArg: string, clientEnv: ClientEnv): Promise<number> {
  const say: Say = (text) => clientEnv.stderr.write(`wsus-client: ${text}\n`);
  const loaded = readJob(jobArg, clientEnv, say);
  if (typeof loaded === 'number') return loaded;
  const log = openLog(join(dirname(loaded.jobPath), 'log.jsonl'), say);
  if (!log) return CLIENT_EXIT.runFailed;
  const held: Held = { server: null, agent: null, markerPath: null, timedOut: false };
  try {
    if (clientEnv.signal.aborted) return CLIENT_EXIT.aborted;
    return await servedRun(loaded.job, log, clientEnv, say, held);
  } finally {
    await release(held, loaded.job, clientEnv.signal);
    log.close();
  }
}

/** Why: a job file that is missing or invalid is a usage error, said in one line. */
function readJob(jobArg: string, clientEnv: ClientEnv, say: Say): { jobPath: string; job: Job } | number {
  try {
    const jobPath = clientEnv.resolvePath(jobArg);
    return { jobPath, job: loadJob(jobPath, jobArg) };
  } catch (err) {
    say(err instanceof InputError ? err.message : `${jobArg}: ${messageOf(err)}`);
    return CLIENT_EXIT.usage;
  }
}

/** Why: the activity log file; a folder that refuses it is the end of the run. */
function openLog(logPath: string, say: Say): ActivityLog | null {
  try {
    return new ActivityLog({
      filePath: logPath,
      onFileError: (e) => say(`cannot write ${logPath} (${e.message}); the log continues in memory only`),
    });
  } catch (err) {
    say(`cannot create the activity log ${logPath}: ${messageOf(err)}`);
    return null;
  }
}

/** Why: the pipe up, the run done (or failed into a fallback summary), then the run's end. */
async function servedRun(
  job: Job,
  log: ActivityLog,
  clientEnv: ClientEnv,
  say: Say,
  held: Held,
): Promise<number> {
  const early = deferRejections(log);
  let resolveAck: (seq: number) => void = () => {};
  const acked = new Promise<number>((r) => {
    resolveAck = r;
  });
  const pipePath = clientEnv.pipePath(job.pipe);
  try {
    held.server = await startPipeServer({
      path: pipePath,
      token: job.token,
      feed: log,
      onAck: resolveAck,
      onReject: early.onReject,
    });
  } catch (err) {
    say(`cannot open the pipe ${pipePath}: ${messageOf(err)}`);
    log.emit('error', 'pipe.failed', `cannot open the pipe ${pipePath}: ${messageOf(err)}`);
    return err instanceof PipeInUseError ? CLIENT_EXIT.pipeUnavailable : CLIENT_EXIT.runFailed;
  }
  const ran = await executeRun(job, log, clientEnv, say, held);
  early.stop();
  if (ran === null) return CLIENT_EXIT.aborted;
  return endRun({ job, log, ...ran, acked, system: clientEnv.system, signal: clientEnv.signal, say });
}

/**
 * Why: rejected pipe connections are logged, but never ahead of run.start (the first event of a
 * run): those before it are counted and reported right after it.
 */
function deferRejections(log: ActivityLog): { onReject: (reason: string) => void; stop: () => void } {
  let rejectedEarly = 0;
  const stop = log.subscribe((m) => {
    if (m.type === 'event' && m.kind === 'run.start' && rejectedEarly > 0) {
      const text = `${rejectedEarly} pipe connection(s) were rejected before the run started`;
      queueMicrotask(() => log.emit('warn', 'pipe.rejected', text));
    }
  });
  const onReject = (reason: string) => {
    if (log.events.length === 0) rejectedEarly++;
    else log.emit('warn', 'pipe.rejected', `a pipe connection was rejected (${reason})`);
  };
  return { onReject, stop };
}

/** Why: the update run itself under the job's deadline; null when the host aborted it. */
async function executeRun(
  job: Job,
  log: ActivityLog,
  clientEnv: ClientEnv,
  say: Say,
  held: Held,
): Promise<{ summary: RunSummary; crashed: boolean } | null> {
  const deadline = startDeadline(job.clientTimeoutSeconds);
  let bootTime = '';
  try {
    // The agent first: a host may derive its SystemPort from the job's agent spec (the lab does).
    const agent = pickAgent(clientEnv, job);
    held.agent = agent;
    bootTime = await abortable(clientEnv.system.bootTime(), clientEnv.signal);
    held.markerPath = publishMarker(clientEnv, job, bootTime, say);
    const signal = eitherSignal(clientEnv.signal, deadline.signal);
    const heartbeatMs = heartbeatMsFromEnv(clientEnv.env);
    const summary = await runUpdates({
      job,
      agent,
      system: clientEnv.system,
      log,
      signal,
      deadline,
      heartbeatMs,
    });
    return { summary, crashed: false };
  } catch (err) {
    if (clientEnv.signal.aborted) return null;
    const kind = (err as { kind?: string }).kind ?? 'client-error';
    say(`the run failed: ${messageOf(err)}`);
    if (log.events.length > 0) log.emit('error', 'run.error', `the run failed: ${messageOf(err)}`);
    return { summary: fallbackSummary(job, bootTime, kind, messageOf(err)), crashed: true };
  } finally {
    held.timedOut = deadline.signal.aborted;
    deadline.clear();
  }
}

/** Why: the host's agent for the job's spec; a host that has none is a named failure. */
function pickAgent(clientEnv: ClientEnv, job: Job): UpdateAgent {
  try {
    return clientEnv.agent(job.agent);
  } catch (err) {
    throw Object.assign(new Error(`no update agent: ${messageOf(err)}`), { kind: 'agent-unavailable' });
  }
}

/** Why: the active-run marker `wsus-client status` reads; a run without one still runs. */
function publishMarker(clientEnv: ClientEnv, job: Job, bootTime: string, say: Say): string | null {
  try {
    const markerPath = clientEnv.resolvePath(ACTIVE_RUN_TARGET_PATH);
    writeActiveRun(markerPath, {
      runId: job.runId,
      cycle: job.cycle,
      pipe: job.pipe,
      bootTime,
      pid: process.pid,
      startedAt: new Date().toISOString(),
    });
    return markerPath;
  } catch (err) {
    say(`cannot write the active-run marker: ${messageOf(err)}`);
    return null;
  }
}

/** Why: pipe, marker and agent released; a possibly hung agent is not waited for without bound. */
async function release(held: Held, job: Job, signal: AbortSignal): Promise<void> {
  const closing = held.server?.close();
  if (held.markerPath) {
    try {
      removeActiveRun(held.markerPath, job.runId, job.cycle);
    } catch {
      // A marker we cannot remove turns stale at the next boot.
    }
  }
  const closingAgent = held.agent?.close().catch(() => {});
  // On abort do not wait for the agent at all (the host is going away); after the deadline, briefly.
  if (!signal.aborted && held.timedOut) {
    const giveUp = new AbortController();
    await Promise.race([closingAgent, sleep(CLOSE_AFTER_DEADLINE_MS, giveUp.signal).catch(() => {})]);
    giveUp.abort();
  } else if (!signal.aborted) await closingAgent;
  await closing;
}
