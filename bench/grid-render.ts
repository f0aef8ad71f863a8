// bench/grid-render: what the live fleet grid costs at 1,000 servers, without running a fleet.
// 1,000 rows in every step, moved on by a stream of events (about what 1,000 busy servers send),
// rendered for a 200×60 terminal at the grid's redraw rate and drawn by log-update (to a stream
// that drops the bytes: the terminal's own work is not the connector's); prints the CPU per redraw and the
// share of one core. Goal: under 2 % of a core.
//   node --import tsx bench/grid-render.ts [--servers 1000] [--seconds 5]
import { Writable } from 'node:stream';
import { createLogUpdate } from 'log-update';
import type { ConnectorEvent } from '../src/connector/events.ts';
import { REDRAWS_PER_SECOND } from '../src/connector/output/fleet-grid.ts';
import { renderGrid } from '../src/connector/output/fleet-grid-render.ts';
import { applyGridEvent, type GridRow, gridRow } from '../src/connector/output/fleet-grid-state.ts';

const args = process.argv.slice(2);
const arg = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const SERVERS = arg('--servers', 1000);
const SECONDS = arg('--seconds', 5);
/** Events per server per second while installing: progress and heartbeats, a generous rate. */
const EVENTS_PER_SERVER_SECOND = 2;

const rows: GridRow[] = Array.from({ length: SERVERS }, (_, i) =>
  gridRow(`srv${String(i).padStart(4, '0')}`, 1 + (i % 3)),
);
const t0 = Date.now();
for (const r of rows) applyGridEvent(r, { type: 'start', server: r.server, time: t0, header: [] });

function progress(r: GridRow, n: number): ConnectorEvent {
  const kind = n % 2 ? 'install.progress' : 'download.progress';
  return {
    type: 'client',
    server: r.server,
    cycle: 1,
    event: {
      type: 'event',
      seq: n,
      time: new Date().toISOString(),
      level: 'info',
      kind,
      message: '',
      data: { index: 0, percent: n % 100 },
    },
  };
}

const redraws = SECONDS * REDRAWS_PER_SECOND;
const eventsPerRedraw = Math.round((SERVERS * EVENTS_PER_SERVER_SECOND) / REDRAWS_PER_SECOND);
let n = 0;
let chars = 0;
const sink = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), {
  columns: 200,
  rows: 60,
  isTTY: true,
});
const draw = createLogUpdate(sink as unknown as NodeJS.WriteStream, { showCursor: true });
const cpu0 = process.cpuUsage();
for (let i = 0; i < redraws; i++) {
  for (let k = 0; k < eventsPerRedraw; k++) {
    const r = rows[(n * 7919) % SERVERS]!;
    applyGridEvent(r, progress(r, n++));
  }
  const screen = renderGrid(rows, { rows: 60, columns: 200, now: Date.now() });
  draw(screen);
  chars += screen.length;
}
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
const share = cpuMs / (SECONDS * 1000);
process.stdout.write(
  `grid-render: ${SERVERS} servers, ${REDRAWS_PER_SECOND} redraws/s, ${EVENTS_PER_SERVER_SECOND} events/server/s, 200×60\n` +
    `${redraws} redraws in ${SECONDS} s of grid time: ${(cpuMs / redraws).toFixed(2)} ms CPU per redraw (events included), ` +
    `${(share * 100).toFixed(2)} % of a core (${Math.round(chars / redraws)} chars a screen)\n` +
    `goal: < 2 % of a core → ${share < 0.02 ? 'met' : 'NOT met'}\n`,
);
