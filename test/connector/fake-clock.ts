// A virtual clock: sleeps resolve in wake-time order, and time jumps to the earliest sleeper once
// everything else (promises, in-memory streams) has settled. Hours of reboots take milliseconds.
import type { Clock } from '../../src/connector/ports.ts';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers: Timer[] = [];
  private scheduled = false;
  /** Safety net: a test that never finishes fails instead of spinning forever. */
  ticks = 0;
  maxTicks = 200_000;

  constructor(start = Date.parse('2026-11-24T06:00:00Z')) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
      const timer: Timer = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.timers.indexOf(timer);
        if (i >= 0) this.timers.splice(i, 1);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Two macrotask hops: let stream callbacks and promise chains settle before time moves.
    setImmediate(() => setImmediate(() => this.tick()));
  }

  private tick(): void {
    this.scheduled = false;
    if (this.timers.length === 0) return;
    if (++this.ticks > this.maxTicks) throw new Error('FakeClock: too many ticks (a wait loop never ends)');
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.timers.shift()!;
    if (next.at > this.t) this.t = next.at;
    next.resolve();
    if (this.timers.length > 0) this.schedule();
  }
}
