// Turns the bridge's progress lines (the WUA job's GetProgress(), polled once a second) into the
// client's AgentProgress calls. The bridge repeats itself every second; the client hears of each
// update's percentage only when it moves forward, so a stalled install does not flood the log.
import type { AgentProgress } from '../../client/ports.ts';
import type { BridgeProgress } from './protocol.ts';

export interface ProgressReporter {
  /** The update at `index` of the operation is at `percent`. */
  report(index: number, id: string, percent: number): void;
  /** A listener for one bridge call on `batch`, whose first update is at `offset` in the operation. */
  forBatch(batch: string[], offset: number): (p: BridgeProgress) => void;
}

/** Why: one place that decides which progress reaches the client: forward moves only, per update. */
export function createProgressReporter(
  phase: 'download' | 'install',
  onProgress: ((p: AgentProgress) => void) | undefined,
): ProgressReporter {
  const reached = new Map<number, number>();
  const report = (index: number, id: string, percent: number) => {
    const pct = Math.max(0, Math.min(100, Math.round(percent)));
    const before = reached.get(index);
    if (before !== undefined && pct <= before) return;
    reached.set(index, pct);
    onProgress?.({ phase, index, id, percent: pct });
  };
  return {
    report,
    forBatch: (batch, offset) => (p) => {
      const id = batch[p.index];
      // An index outside the call's collection is not ours to report (WUA counts from 0).
      if (id !== undefined) report(offset + p.index, id, p.percent);
    },
  };
}
