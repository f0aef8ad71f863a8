// The job output of a whole run, live: plain lines (prefixed with the server in a multi-server
// run), or the same lines above progress bars on a terminal. The summaries come at the end, so
// the very last line is always `Result code: N`.
import type { ConnectorEvent, ConnectorSink } from '../events.ts';
import type { TargetResult } from '../target-result.ts';
import { fleetSummaryLines } from './fleet-summary.ts';
import { LineRenderer, summaryLines } from './line-renderer.ts';
import { ProgressDisplay } from './progress-display.ts';

export interface JobOutputOptions {
  write: (text: string) => void;
  servers: readonly string[];
  /** A terminal to draw progress bars on; absent = plain lines. */
  tty?: NodeJS.WriteStream | undefined;
}

export interface JobOutput {
  sink: ConnectorSink;
  /** Prints the summaries (and the fleet table), any `ending` line and the final `Result code: N`. */
  finish(results: readonly TargetResult[], resultCode: number, stoppedBy?: string, ending?: string): void;
  /** A fleet-level line (a wave starts, a gate closes, a report or webhook problem). */
  note(text: string): void;
}

/** Why: one object that owns stdout during a run, whichever way it is drawn. */
export function createJobOutput(opts: JobOutputOptions): JobOutput {
  const multi = opts.servers.length > 1;
  const renderer = new LineRenderer();
  const display = opts.tty ? new ProgressDisplay(opts.tty, opts.servers) : null;
  const emit = (line: string, server: string) => {
    const text = multi ? `${server} | ${line}` : line;
    if (display) display.log(text);
    else opts.write(`${text}\n`);
  };
  const sink = (e: ConnectorEvent) => {
    display?.update(e);
    if (e.type === 'done') return;
    for (const line of renderer.render(e)) emit(line, e.server);
  };
  return {
    sink,
    note(text) {
      const line = `wsus-connector: ${text}`;
      if (display) display.log(line);
      else opts.write(`${line}\n`);
    },
    finish(results, resultCode, stoppedBy, ending) {
      display?.stop();
      const own = !multi && ending === undefined;
      for (const r of results) {
        for (const line of summaryLines(r, own)) opts.write(`${multi ? `${r.server} | ` : ''}${line}\n`);
      }
      if (multi) {
        opts.write('\n==== All servers ====\n');
        for (const line of fleetSummaryLines(results)) opts.write(`${line}\n`);
        if (stoppedBy) opts.write(`Fleet stopped: ${stoppedBy}\n`);
      }
      if (ending) opts.write(`${ending}\n`);
      if (!own) opts.write(`Result code: ${resultCode}\n`);
    },
  };
}
