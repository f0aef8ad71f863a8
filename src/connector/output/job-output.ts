// The job output of a whole run, live: plain lines (prefixed with the server in a multi-server
// run); on a terminal, progress bars for one server or the fleet grid for several. Each server's
// lines also go to its own log when there are per-server logs (--log-dir). The summaries come at
// the end, so the very last line is always `Result code: N`.
import type { ConnectorEvent, ConnectorSink } from '../events.ts';
import type { TargetResult } from '../target-result.ts';
import { FleetGrid } from './fleet-grid.ts';
import { fleetSummaryLines } from './fleet-summary.ts';
import { LineRenderer, summaryLines } from './line-renderer.ts';
import { ProgressDisplay } from './progress-display.ts';

/** Where each server's full job output goes, one file per server (written by the caller). */
export interface ServerLogs {
  dir: string;
  write(server: string, text: string): void;
  pathOf(server: string): string;
}

export interface JobOutputOptions {
  write: (text: string) => void;
  servers: readonly string[];
  /** A terminal to draw on; absent = plain lines. */
  tty?: NodeJS.WriteStream | undefined;
  /** The wave (1-based) of each server, for the fleet grid. */
  waveOf?: ((server: string) => number) | undefined;
  logs?: ServerLogs | undefined;
}

export interface JobOutput {
  sink: ConnectorSink;
  /** Prints the summaries (and the fleet table), any `ending` line and the final `Result code: N`. */
  finish(results: readonly TargetResult[], resultCode: number, stoppedBy?: string, ending?: string): void;
  /** A fleet-level line (a wave starts, a gate closes, a report or webhook problem). */
  note(text: string): void;
}

type Display = { log(line: string): void; update(e: ConnectorEvent): void; stop(): void };

function display(opts: JobOutputOptions): Display | null {
  if (!opts.tty) return null;
  if (opts.servers.length === 1) return new ProgressDisplay(opts.tty, opts.servers);
  const grid = new FleetGrid({ stream: opts.tty, servers: opts.servers, waveOf: opts.waveOf ?? (() => 1) });
  // The grid stands for the servers' lines on screen; they are in the per-server logs.
  return { log: (line) => grid.note(line), update: (e) => grid.update(e), stop: () => grid.stop() };
}

/** Why: one object that owns stdout during a run, whichever way it is drawn. */
export function createJobOutput(opts: JobOutputOptions): JobOutput {
  const multi = opts.servers.length > 1;
  const renderer = new LineRenderer();
  const shown = display(opts);
  const grid = multi && shown !== null;
  const emit = (line: string, server: string) => {
    opts.logs?.write(server, `${line}\n`);
    if (grid) return;
    const text = multi ? `${server} | ${line}` : line;
    if (shown) shown.log(text);
    else opts.write(`${text}\n`);
  };
  const sink = (e: ConnectorEvent) => {
    shown?.update(e);
    if (e.type === 'done') return;
    for (const line of renderer.render(e)) emit(line, e.server);
  };
  return {
    sink,
    note(text) {
      const line = `wsus-connector: ${text}`;
      if (shown) shown.log(line);
      else opts.write(`${line}\n`);
    },
    finish(results, resultCode, stoppedBy, ending) {
      shown?.stop();
      const own = !multi && ending === undefined;
      for (const r of results) {
        const lines = summaryLines(r, own);
        for (const line of lines)
          opts.logs?.write(
            r.server,
            `${line}
`,
          );
        if (grid) continue;
        for (const line of lines)
          opts.write(`${multi ? `${r.server} | ` : ''}${line}
`);
      }
      if (multi) {
        opts.write('\n==== All servers ====\n');
        for (const line of fleetSummaryLines(results, opts.logs)) opts.write(`${line}\n`);
        if (stoppedBy) opts.write(`Fleet stopped: ${stoppedBy}\n`);
      }
      if (ending) opts.write(`${ending}\n`);
      if (!own) opts.write(`Result code: ${resultCode}\n`);
    },
  };
}
