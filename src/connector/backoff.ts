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
