// A connection drop during an idempotent step is retried on a fresh connection with backoff,
// within a bound (docs/usage.md "Bounds and retries"): shared by the ssh and winrm transports.
import { TargetError } from '../model/target.ts';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Why: one dropped connection must not fail a step that is safe to repeat; retries only the
 * 'unreachable' kind, with backoff from 0.25 s doubling to 5 s, until windowMs has passed.
 */
export async function retryUnreachable<T>(
  windowMs: number,
  attempt: () => Promise<T>,
  onRetry: (err: TargetError) => void = () => {},
): Promise<T> {
  const until = Date.now() + windowMs;
  let wait = 250;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof TargetError) || err.kind !== 'unreachable') throw err;
      const left = until - Date.now();
      if (left <= 0) throw err;
      onRetry(err);
      await sleep(Math.min(wait, left));
      wait = Math.min(wait * 2, 5_000);
    }
  }
}
