// The live display for a terminal: one progress bar per server (phase and percent of the current
// download/install), with the job output's lines scrolling above it. Only used when stdout is a
// TTY; a scheduler's log gets the plain lines.
import cliProgress from 'cli-progress';
import type { ConnectorEvent } from '../events.ts';

interface BarState {
  bar: cliProgress.SingleBar;
  cycle: number;
}

/** Why: keeps each server's bar in step with its events. */
export class ProgressDisplay {
  private readonly multi: cliProgress.MultiBar;
  private readonly bars = new Map<string, BarState>();
  private readonly width: number;

  constructor(stream: NodeJS.WriteStream, servers: readonly string[]) {
    this.width = Math.max(6, ...servers.map((s) => s.length));
    this.multi = new cliProgress.MultiBar(
      {
        stream,
        format: '{server} |{bar}| {percentage}% | {phase}',
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        stopOnComplete: false,
        autopadding: true,
        fps: 8,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  /** Why: prints finished lines above the bars without tearing them. */
  log(line: string): void {
    this.multi.log(`${line}\n`);
  }

  update(e: ConnectorEvent): void {
    const state = this.state(e.server);
    const set = (percent: number, phase: string) =>
      state.bar.update(Math.max(0, Math.min(100, Math.round(percent))), { phase });
    switch (e.type) {
      case 'start':
        set(0, 'connecting');
        break;
      case 'cycle.start':
        state.cycle = e.cycle;
        set(0, `cycle ${e.cycle}: starting the client`);
        break;
      case 'client': {
        const ev = e.event;
        const pct = Number(ev.data?.percent ?? 0);
        if (ev.kind.endsWith('.progress')) set(pct, `cycle ${state.cycle}: ${ev.message}`);
        else if (ev.kind.endsWith('.start') || ev.kind === 'search.done')
          set(0, `cycle ${state.cycle}: ${ev.message}`);
        break;
      }
      case 'cycle.end':
        set(100, `cycle ${e.cycle}: done`);
        break;
      case 'reboot':
        set(e.phase === 'ready' ? 100 : 0, `rebooting (${e.phase})`);
        break;
      case 'done':
        set(100, `result code ${e.result.resultCode}`);
        break;
      default:
        break;
    }
  }

  stop(): void {
    this.multi.stop();
  }

  private state(server: string): BarState {
    let s = this.bars.get(server);
    if (!s) {
      const bar = this.multi.create(100, 0, { server: server.padEnd(this.width), phase: 'waiting' });
      s = { bar, cycle: 0 };
      this.bars.set(server, s);
    }
    return s;
  }
}
