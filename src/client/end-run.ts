// The end of a client run (docs/client.md): run.end, then the wait for the connector's ack, then
// the post-run events that only log.jsonl carries (ack.received / ack.timeout, reboot.start), the
// reboot if the summary says so, and the exit code the task's Last Result will show.
import type { Job } from '../protocol/job.ts';
import type { RunSummary } from '../protocol/messages.ts';
import { abortable } from './abortable.ts';
import { type AckOutcome, waitForAck } from './ack-wait.ts';
import type { ActivityLog } from './activity-log.ts';
import { CLIENT_EXIT } from './exit-codes.ts';
import type { SystemPort } from './ports.ts';

export interface EndRunInput {
  job: Job;
  log: ActivityLog;
  summary: RunSummary;
  /** The run threw; summary is the fallback one. */
  crashed: boolean;
  /** Resolves with the acknowledged seq (the pipe server's onAck). */
  acked: Promise<number>;
  system: SystemPort;
  signal: AbortSignal;
  say: (text: string) => void;
  /** How the ack is awaited; a host with its own clock (tests) passes its own. */
  waitAck?: (acked: Promise<number>, timeoutMs: number, signal: AbortSignal) => Promise<AckOutcome>;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Why: the comment shutdown.exe shows and the event log keeps; it names the run that rebooted. */
export function rebootComment(job: Pick<Job, 'runId' | 'cycle'>): string {
  return `wsus-connector run ${job.runId} cycle ${job.cycle}: restarting to complete Windows updates`;
}

/** Why: one implementation of "after the summary" for every host the client runs on. */
export async function endRun(i: EndRunInput): Promise<number> {
  const { job, log, summary, signal, say } = i;
  const runEnd = log.finish(summary);
  const wait = i.waitAck ?? waitForAck;
  const outcome = await wait(i.acked, job.ackTimeoutSeconds * 1000, signal).catch(() => null);
  if (outcome === null) return CLIENT_EXIT.aborted;
  if (outcome.kind === 'timeout') {
    log.emit(
      'warn',
      'ack.timeout',
      `no acknowledgement of run.end within ${job.ackTimeoutSeconds}s; not rebooting`,
    );
    say(`no acknowledgement within ${job.ackTimeoutSeconds}s; exiting without reboot`);
    return i.crashed || summary.error ? CLIENT_EXIT.runFailed : CLIENT_EXIT.noAck;
  }
  log.emit('info', 'ack.received', `run.end (seq ${runEnd.seq}) acknowledged`, { seq: outcome.seq });

  if (summary.willReboot) {
    const comment = rebootComment(job);
    log.emit('info', 'reboot.start', 'rebooting now', { comment });
    try {
      await abortable(i.system.reboot(comment), signal);
    } catch (err) {
      if (signal.aborted) return CLIENT_EXIT.aborted;
      log.emit('error', 'reboot.failed', `the reboot could not be started: ${messageOf(err)}`);
      say(`the reboot could not be started: ${messageOf(err)}`);
      return CLIENT_EXIT.runFailed;
    }
  }
  return i.crashed || summary.error ? CLIENT_EXIT.runFailed : CLIENT_EXIT.ok;
}
