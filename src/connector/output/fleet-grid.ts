// The live fleet grid on a terminal (more than one server): log-update redraws the screen in
// place on a timer, REDRAWS_PER_SECOND times a second (elapsed times move even without events),
// so a thousand busy servers cost a few renderings a second, not one per event (docs/usage.md "The fleet grid").
import { createLogUpdate } from 'log-update';
import type { ConnectorEvent } from '../events.ts';
import { renderGrid } from './fleet-grid-render.ts';
import { applyGridEvent, type GridRow, gridRow } from './fleet-grid-state.ts';

export const REDRAWS_PER_SECOND = 4;

export interface FleetGridOptions {
  stream: NodeJS.WriteStream;
  servers: readonly string[];
  /** The wave (1-based) each server runs in. */
  waveOf: (server: string) => number;
  now?: () => number;
}

/** Why: one row per server in place of interleaved lines, redrawn a few times a second at most. */
export class FleetGrid {
  private readonly rows = new Map<string, GridRow>();
  private readonly draw: ReturnType<typeof createLogUpdate>;
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly opts: FleetGridOptions) {
    for (const s of opts.servers) this.rows.set(s, gridRow(s, opts.waveOf(s)));
    this.now = opts.now ?? Date.now;
    this.draw = createLogUpdate(opts.stream, { showCursor: false });
    this.timer = setInterval(() => this.redraw(), 1000 / REDRAWS_PER_SECOND);
    this.timer.unref();
  }

  update(e: ConnectorEvent): void {
    const row = this.rows.get(e.server);
    if (!row) return;
    applyGridEvent(row, e);
  }

  /** Why: a fleet-level line (a wave starts, a gate closes) goes above the grid, which is redrawn under it. */
  note(line: string): void {
    this.draw.clear();
    this.opts.stream.write(`${line}\n`);
    this.redraw();
  }

  /** Why: the last picture stays on screen; what follows (the summaries) is printed under it. */
  stop(): void {
    clearInterval(this.timer);
    this.redraw();
    this.draw.done();
  }

  private redraw(): void {
    const s = this.opts.stream;
    this.draw(
      renderGrid([...this.rows.values()], { rows: s.rows || 24, columns: s.columns || 80, now: this.now() }),
    );
  }
}
