// Poll delays that start fast and double up to a cap: a lab host answers in milliseconds, a real
// server needs seconds, and neither should be hammered.

/** Why: one pacing rule for every wait loop in the orchestration. */
export class Backoff {
  private current: number;
  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {
    this.current = minMs;
  }

  next(): number {
    const d = this.current;
    this.current = Math.min(this.maxMs, this.current * 2);
    return d;
  }

  reset(): void {
    this.current = this.minMs;
  }
}

/**
 * Why: a wait for something with no event (a server coming back from a reboot) probes at a pace
 * that grows with the time already waited, so the lag after it comes back stays a fixed share of
 * the wait (an eighth): a lab's one-second reboot is seen within about 0.1 s, a real reboot of
 * minutes is probed at the cap, as before.
 */
export function paceByElapsed(elapsedMs: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, Math.max(minMs, Math.round(elapsedMs / 8)));
}
