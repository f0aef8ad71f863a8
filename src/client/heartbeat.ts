// A long WUA call (a cumulative update takes up to an hour) must never leave the job output
// silent: while it runs, a heartbeat event goes out every interval with the latest percentage and
// the time spent, and the connector prints it like any client line.
import { formatDuration } from '../model/duration.ts';
import type { EventSink } from './activity-log.ts';

export const HEARTBEAT_MS = 60_000;

export interface HeartbeatOptions {
  log: EventSink;
  phase: 'download' | 'install';
  /** What is being worked on, e.g. "KB5044281, KB2267602". */
  what: string;
  intervalMs?: number;
  /** The latest percentage reported, or null before the first. */
  percent: () => number | null;
  /** The run's abort: a call abandoned on abort may never settle, its heartbeat must still stop. */
  signal?: AbortSignal;
  now?: () => number;
}

/** Why: resolves like `op`, emitting `<phase>.heartbeat` each interval until it settles. */
export async function withHeartbeat<T>(op: Promise<T>, o: HeartbeatOptions): Promise<T> {
  const now = o.now ?? Date.now;
  const start = now();
  const timer = setInterval(() => {
    const p = o.percent();
    const at = p === null ? '' : `: ${Math.round(p)}%`;
    const elapsedMs = now() - start;
    o.log.emit(
      'info',
      `${o.phase}.heartbeat`,
      `still ${o.phase}ing ${o.what}${at} (${formatDuration(elapsedMs)} so far)`,
      {
        percent: p,
        elapsedMs,
      },
    );
  }, o.intervalMs ?? HEARTBEAT_MS);
  // Never the reason a process stays alive.
  timer.unref();
  const stop = () => clearInterval(timer);
  o.signal?.addEventListener('abort', stop, { once: true });
  try {
    return await op;
  } finally {
    stop();
    o.signal?.removeEventListener('abort', stop);
  }
}

/** Why: the heartbeat interval from WSUS_HEARTBEAT_SECONDS (the lab shortens it), else a minute. */
export function heartbeatMsFromEnv(env: NodeJS.ProcessEnv): number {
  const s = Number(env.WSUS_HEARTBEAT_SECONDS);
  return Number.isFinite(s) && s >= 0.1 && s <= 60 ? Math.round(s * 1000) : HEARTBEAT_MS;
}
