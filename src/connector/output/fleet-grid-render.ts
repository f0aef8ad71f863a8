// The fleet grid as text: a header with the count of servers per step, then one row per server,
// failures first, then the servers running longest (the slow ones), fitted to the screen's height
// with a "+N more" line. Pure, so its cost is measured on its own (bench/grid-render.ts).
import { formatDuration } from '../../model/duration.ts';
import type { GridRow, GridStep } from './fleet-grid-state.ts';

const STEP_ORDER: GridStep[] = [
  'failed',
  'connecting',
  'staging',
  'searching',
  'downloading',
  'installing',
  'rebooting',
  'servicing',
  'waiting',
  'done',
];

export interface GridScreen {
  rows: number;
  columns: number;
  now: number;
}

function rank(r: GridRow): number {
  if (r.step === 'failed') return 0;
  if (r.step === 'done') return 3;
  return r.step === 'waiting' ? 2 : 1;
}

function elapsed(r: GridRow, now: number): number {
  return r.startedAt === null ? 0 : (r.endedAt ?? now) - r.startedAt;
}

/** Why: failures, then running servers longest-running first, then those waiting, then the done. */
export function sortRows(rows: readonly GridRow[], now: number): GridRow[] {
  return [...rows].sort((a, b) => rank(a) - rank(b) || elapsed(b, now) - elapsed(a, now));
}

function headerLine(rows: readonly GridRow[]): string {
  const counts = new Map<GridStep, number>();
  for (const r of rows) counts.set(r.step, (counts.get(r.step) ?? 0) + 1);
  const parts = STEP_ORDER.filter((s) => counts.get(s)).map((s) => `${s} ${counts.get(s)}`);
  return `${rows.length} servers: ${parts.join(', ')}`;
}

/** Why: the whole screen, never taller than the terminal nor wider than it. */
export function renderGrid(rows: readonly GridRow[], screen: GridScreen): string {
  const nameWidth = Math.min(32, Math.max(6, ...rows.map((r) => r.server.length)));
  const fit = (s: string) => (s.length > screen.columns ? s.slice(0, Math.max(1, screen.columns)) : s);
  const line = (name: string, wave: string, step: string, cycle: string, time: string) =>
    fit(
      `${name.slice(0, nameWidth).padEnd(nameWidth)}  ${wave.padStart(4)}  ${step.padEnd(28)}  ${cycle.padStart(5)}  ${time}`,
    );
  const out = [fit(headerLine(rows)), line('Server', 'Wave', 'Step', 'Cycle', 'Elapsed')];
  // Two header lines, and the line log-update leaves for the cursor.
  const room = Math.max(1, screen.rows - out.length - 1);
  const sorted = sortRows(rows, screen.now);
  const shown = sorted.length > room ? room - 1 : sorted.length;
  for (const r of sorted.slice(0, shown)) {
    const t = r.startedAt === null ? '' : formatDuration(elapsed(r, screen.now));
    out.push(line(r.server, String(r.wave), r.detail, r.cycle ? String(r.cycle) : '', t));
  }
  if (shown < sorted.length) out.push(fit(`+${sorted.length - shown} more`));
  return out.join('\n');
}
