// One connection to the client's pipe while following a cycle: opened with a bounded wait (the
// relay answers the moment the client is up), read until run.end, dropped when it stays silent.
import type { Duplex } from 'node:stream';
import { readRunLog } from '../../protocol/pipe-client.ts';
import { RunLogInterruptedError } from '../../protocol/protocol-error.ts';
import { TargetError } from '../ports.ts';
import { checkSummary } from './client-follow-file.ts';
import type { FollowResult, FollowState } from './follow-state.ts';
import type { TargetWatch } from './target-watch.ts';

/**
 * How long one relay waits for the client to come up. Between two waits the task's state is read
 * (a task that ended without a client is only seen there), so this is also how late that is seen.
 */
export const RELAY_WAIT_MS = 5_000;
/** How often in a row a relay may be reopened after going silent without an event. */
const MAX_SILENT_RECONNECTS = 3;

async function openPipe(ctx: TargetWatch, pipe: string, waitMs: number): Promise<Duplex | null> {
  try {
    return await ctx.target.openPipe(pipe, ctx.clientPath, { waitMs });
  } catch (err) {
    // A lost session is a real failure; a pipe that is not there yet is just "not yet".
    if (
      err instanceof TargetError &&
      (err.kind === 'unreachable' || err.kind === 'auth' || err.kind === 'host-key')
    ) {
      throw err;
    }
    return null;
  }
}

/** Why: a relay that stays silent (a hung channel) is dropped, so the loop reopens it from the next seq. */
function watchIdle(s: FollowState, stream: Duplex): { stop(): void; idled(): boolean } {
  const { clock } = s.ctx;
  const watch = new AbortController();
  let idled = false;
  void (async () => {
    while (!watch.signal.aborted) {
      await clock.sleep(s.idleMs, watch.signal).catch(() => {});
      if (!watch.signal.aborted && clock.now() - s.lastHeard >= s.idleMs) {
        idled = true;
        stream.destroy();
        return;
      }
    }
  })();
  return { stop: () => watch.abort(), idled: () => idled };
}

/** Why: a broken relay of a client that was talking gets a fresh window to come back. */
function afterInterrupted(s: FollowState, err: RunLogInterruptedError, idled: boolean): void {
  s.from = err.nextFrom;
  // Silent relays get a fresh window a few times (the task may still be running fine).
  if (err.receivedAny || (idled && ++s.silentReconnects <= MAX_SILENT_RECONNECTS)) {
    s.backoff.reset();
    s.deadline = Math.max(s.deadline, s.ctx.clock.now() + s.req.startTimeoutMs);
  }
}

/** Why: one connection's worth of the log: the run's end, or null when the loop must look again. */
export async function followPipe(s: FollowState): Promise<FollowResult | null> {
  const { ctx, req } = s;
  const waitMs = Math.max(0, Math.min(RELAY_WAIT_MS, s.deadline - ctx.clock.now()));
  const stream = await openPipe(ctx, req.job.pipe, waitMs);
  if (!stream) return null;
  // A waiting relay is silent by design until its client is up.
  s.lastHeard = ctx.clock.now() + waitMs;
  const idle = watchIdle(s, stream);
  try {
    const runEnd = await readRunLog(stream, {
      token: req.job.token,
      from: s.from,
      onEvent: s.onEvent,
      signal: ctx.signal,
    });
    checkSummary(req.job, runEnd);
    return { runEnd, events: s.events, stream, fromLogFile: false, postRun: null };
  } catch (err) {
    stream.destroy();
    if (!(err instanceof RunLogInterruptedError)) throw err;
    afterInterrupted(s, err, idle.idled());
    return null;
  } finally {
    idle.stop();
  }
}
