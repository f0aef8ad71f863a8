// A lab host's scenario `faults` (docs/lab.md "Fault injection"): each entry fires once, at the
// first time its event happens on the host. Events come from the SSH front end (a staged job
// file), the Task Scheduler (a cycle's task starts), the client's activity log (install start,
// run.end, ack received) and the power cycle (down, back up).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioFault } from './scenario.ts';
import type { FrontFault } from './ssh/front-faults.ts';

export type FaultEvent = ScenarioFault['at'];

/** Client log entries that are fault events, by their `kind` (or `type` for run.end). */
const LOG_EVENTS: Record<string, FaultEvent> = {
  'install.start': 'install-start',
  'run.end': 'run-end',
  'ack.received': 'ack',
};

export interface FaultTargets {
  front(fault: FrontFault): void;
  killClients(): void;
  note(message: string): void;
}

/** The pending faults of one host and the log watcher that finds client events. */
export class HostFaults {
  private readonly pending: ScenarioFault[];
  private readonly seen = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private readonly scale: number;

  constructor(
    faults: ScenarioFault[],
    private readonly targets: FaultTargets,
    private readonly runsDir: string,
    timeScale: number,
  ) {
    this.pending = [...faults];
    this.scale = timeScale;
  }

  /** Why: fires (once each) the faults waiting for this event. */
  fire(at: FaultEvent): void {
    for (let i = 0; i < this.pending.length; ) {
      const f = this.pending[i]!;
      if (f.at !== at) {
        i++;
        continue;
      }
      this.pending.splice(i, 1);
      this.targets.note(`fault ${f.do} at ${at}`);
      if (f.do === 'kill-client') this.targets.killClients();
      else if (f.do === 'refuse-ssh')
        this.targets.front({ do: 'refuse-ssh', ms: f.seconds * 1000 * this.scale });
      else this.targets.front({ do: f.do });
    }
  }

  /** Why: client events are read from the activity logs the client writes on the host's disk. */
  watchLogs(): void {
    const wanted = this.pending.some((f) => Object.values(LOG_EVENTS).includes(f.at));
    if (!wanted || this.timer) return;
    this.timer = setInterval(() => void this.scan().catch(() => {}), 20);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async scan(): Promise<void> {
    const runs = await readdir(this.runsDir).catch(() => [] as string[]);
    for (const run of runs) {
      const file = join(this.runsDir, run, 'log.jsonl');
      const text = await readFile(file, 'utf8').catch(() => '');
      const from = this.seen.get(file) ?? 0;
      const end = text.lastIndexOf('\n') + 1;
      if (end <= from) continue;
      this.seen.set(file, end);
      for (const line of text.slice(from, end).split('\n')) {
        const kind =
          /"kind":"([a-z.]+)"/.exec(line)?.[1] ?? (/"type":"run\.end"/.test(line) ? 'run.end' : '');
        const ev = LOG_EVENTS[kind];
        if (ev) this.fire(ev);
      }
    }
    if (this.pending.length === 0) this.stop();
  }
}
