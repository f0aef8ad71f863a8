// One `wsus-client run` process on the in-memory test host, built from the client's own pieces:
// runUpdates (src/client/run.ts), the ActivityLog writing log.jsonl line by line, the pipe
// server's connection handling over in-memory streams, and endRun for run.end → ack → reboot.
// Only the process shell (file system, socket, timers) is the host's; nothing of the protocol is.
import { Duplex } from 'node:stream';
import type { AckOutcome } from '../../src/client/ack-wait.ts';
import { ActivityLog } from '../../src/client/activity-log.ts';
import { endRun } from '../../src/client/end-run.ts';
import { CLIENT_EXIT } from '../../src/client/exit-codes.ts';
import { type PipeServerOptions, servePipeConnection } from '../../src/client/pipe-server.ts';
import type { SystemPort, UpdateAgent } from '../../src/client/ports.ts';
import { runUpdates } from '../../src/client/run.ts';
import { fallbackSummary } from '../../src/client/run-command.ts';
import type { Job } from '../../src/protocol/job.ts';
import type { RunSummary } from '../../src/protocol/messages.ts';
import type { FakeClock } from './fake-clock.ts';

/** How long the process lives after its last log line (virtual ms). */
export const EXIT_MS = 500;

export interface ClientHost {
  clock: FakeClock;
  agent(signal: AbortSignal): UpdateAgent;
  system: SystemPort;
  /** Appends to a file on the host's disk. */
  append(path: string, text: string): void;
  create(path: string): void;
}

/** Why: a connected pair of in-memory streams, the way a socket pair behaves (Node 20 has none). */
export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (peer: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk, _enc, cb) {
        if (!peer().destroyed) peer().push(chunk);
        cb();
      },
      final(cb) {
        if (!peer().destroyed) peer().push(null);
        cb();
      },
      destroy(err, cb) {
        const p = peer();
        if (!p.destroyed) {
          p.push(null);
          p.destroy();
        }
        cb(err);
      },
    });
  ends.push(
    make(() => ends[1] as Duplex),
    make(() => ends[0] as Duplex),
  );
  return [ends[0] as Duplex, ends[1] as Duplex];
}

export class FakeClient {
  readonly abort = new AbortController();
  readonly pid: number;
  /** The client ends of open pipe connections (a dead process drops them all). */
  private readonly conns = new Set<Duplex>();
  private server: PipeServerOptions | null = null;
  private resolveAck: (seq: number) => void = () => {};

  constructor(
    private readonly host: ClientHost,
    readonly job: Job,
    readonly logPath: string,
    pid: number,
  ) {
    this.pid = pid;
  }

  /** Why: the process body; resolves with its exit code, like the task's Last Result. */
  async run(): Promise<number> {
    const { host, job } = this;
    const { clock } = host;
    const signal = this.abort.signal;
    host.create(this.logPath);
    const log = new ActivityLog({
      filePath: null,
      now: () => new Date(clock.now()),
      writeLine: (line) => host.append(this.logPath, line),
    });
    const acked = new Promise<number>((r) => {
      this.resolveAck = r;
    });
    this.server = { path: job.pipe, token: job.token, feed: log, onAck: (seq) => this.resolveAck(seq) };
    try {
      // A process takes a moment to start.
      await clock.sleep(200, signal);
      const bootTime = await host.system.bootTime();
      let summary: RunSummary;
      let crashed = false;
      try {
        summary = await runUpdates({ job, agent: host.agent(signal), system: host.system, log, signal });
      } catch (err) {
        if (signal.aborted) return CLIENT_EXIT.aborted;
        crashed = true;
        log.emit('error', 'run.error', `the run failed: ${(err as Error).message}`);
        summary = fallbackSummary(job, bootTime, 'client-error', (err as Error).message);
      }
      const code = await endRun({
        job,
        log,
        summary,
        crashed,
        acked,
        system: host.system,
        signal,
        say: () => {},
        waitAck: (a, ms, sig) => this.waitAck(a, ms, sig),
      });
      // Closing the agent (COM), removing the marker and exiting take a moment after the last line.
      await clock.sleep(EXIT_MS, signal);
      return code;
    } catch (err) {
      // Killed (reboot, /End) is an exit like any other; anything else is a bug to surface.
      if (signal.aborted) return CLIENT_EXIT.aborted;
      throw err;
    } finally {
      this.server = null;
      for (const c of this.conns) c.destroy();
      log.close();
    }
  }

  /** The ack wait of ack-wait.ts, on the host's virtual clock (its timer is always removed). */
  private async waitAck(acked: Promise<number>, ms: number, signal: AbortSignal): Promise<AckOutcome> {
    const stop = new AbortController();
    const timeout = this.host.clock
      .sleep(ms, AbortSignal.any([signal, stop.signal]))
      .then((): AckOutcome => ({ kind: 'timeout' }));
    try {
      return await Promise.race([acked.then((seq): AckOutcome => ({ kind: 'ack', seq })), timeout]);
    } finally {
      stop.abort();
      timeout.catch(() => {});
    }
  }

  /** Why: a connector's connection to this client's pipe; null when the pipe is not served. */
  connect(): Duplex | null {
    if (!this.server) return null;
    const [outside, inside] = duplexPair();
    this.conns.add(inside);
    inside.on('close', () => this.conns.delete(inside));
    servePipeConnection(inside, this.server);
    return outside;
  }

  /** Why: the process dies (reboot, /End): no more bytes, every connection drops. */
  kill(): void {
    this.abort.abort(new Error('killed'));
    this.server = null;
    for (const c of this.conns) c.destroy();
  }
}
