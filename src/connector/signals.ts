// Abort signals and bounded waits that leave nothing behind: a wait raced against a timer cancels
// the timer when it wins, and each of a fleet's servers listens on a signal of its own, since
// every listener added to one signal costs a scan of all the others (docs/scale.md#speed-ups-the-code-keeps).
import type { Clock } from './ports.ts';

export interface LinkedSignal {
  signal: AbortSignal;
  /** Aborts this signal (not the parent) and stops listening to the parent. */
  abort(): void;
  /** Stops listening to the parent; this signal stays as it is. */
  detach(): void;
}

/** Why: a signal that aborts with its parent but can also be aborted, or let go, on its own. */
export function linkedSignal(parent?: AbortSignal): LinkedSignal {
  const own = new AbortController();
  const follow = () => own.abort(parent?.reason);
  const detach = () => parent?.removeEventListener('abort', follow);
  if (parent?.aborted) follow();
  else parent?.addEventListener('abort', follow, { once: true });
  return {
    signal: own.signal,
    abort() {
      detach();
      own.abort(new Error('done'));
    },
    detach,
  };
}

/**
 * Why: waits for `work`, at most `ms`; whichever ends first cancels the other's timer. A rejection
 * of `work` is passed on; the timer running out (or the signal firing) just ends the wait.
 */
export async function settleWithin<T>(
  clock: Clock,
  work: Promise<T>,
  ms: number,
  signal?: AbortSignal,
): Promise<T | undefined> {
  const timer = linkedSignal(signal);
  try {
    return await Promise.race([
      work,
      clock.sleep(ms, timer.signal).then(
        () => undefined,
        () => undefined,
      ),
    ]);
  } finally {
    timer.abort();
  }
}
