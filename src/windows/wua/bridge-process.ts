// The long-lived PowerShell child that speaks bridge.ps1's JSON lines. It matches replies to
// requests, bounds every request by a timeout, and treats a silent, garbage-emitting or dead
// bridge as fatal: the process is stopped and every waiting call fails with a message that says
// which of these happened and what PowerShell last wrote on stderr.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { AgentError } from '../../client/ports.ts';
import { LineSplitter } from '../../protocol/line-splitter.ts';
import {
  type BridgeProgress,
  type BridgeRequest,
  encodeRequest,
  progressSchema,
  readySchema,
  replySchema,
} from './protocol.ts';

export interface BridgeLaunch {
  command: string;
  args: string[];
}

export type SpawnBridge = (launch: BridgeLaunch) => ChildProcessWithoutNullStreams;

/** The bridge itself failed (hung, garbage, exited): the process is gone after this. */
export class BridgeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BridgeError';
  }
}

const MAX_LINE_BYTES = 16 * 1024 * 1024;
const STDERR_TAIL = 4096;

interface Pending {
  op: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress: ((p: BridgeProgress) => void) | undefined;
  timer: NodeJS.Timeout;
}

const defaultSpawn: SpawnBridge = (l) =>
  spawn(l.command, l.args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });

function excerpt(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 200)}…` : one;
}

export class BridgeProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, Pending>();
  private readonly splitter = new LineSplitter(MAX_LINE_BYTES);
  private nextId = 1;
  private stderrTail = '';
  private failure: BridgeError | null = null;
  private closing = false;
  private ready = false;
  private readyWaiter: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private readonly exited: Promise<void>;
  powershellVersion = '';

  private constructor(launch: BridgeLaunch, spawnFn: SpawnBridge) {
    this.child = spawnFn(launch);
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        if (this.closing) this.fail('was closed');
        else this.fail(this.ready ? `exited unexpectedly (${how})` : `exited before it was ready (${how})`);
        resolve();
      });
    });
    this.child.once('error', (err) => this.fail(`could not be started: ${err.message}`));
    this.child.stdin.on('error', () => {
      // A broken stdin shows up as the process exiting; the close handler reports it.
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    this.child.stdout.on('data', (chunk: Buffer) => {
      let lines: string[];
      try {
        lines = this.splitter.push(chunk);
      } catch (err) {
        this.fail(`wrote an over-long line (${(err as Error).message})`);
        return;
      }
      for (const line of lines) this.onLine(line);
    });
  }

  /** Why: a started, handshaken bridge, or a BridgeError naming why it is not there. */
  static async start(launch: BridgeLaunch, startupTimeoutMs: number, spawnFn = defaultSpawn) {
    const bridge = new BridgeProcess(launch, spawnFn);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => bridge.fail(`did not say it was ready within ${Math.round(startupTimeoutMs / 1000)}s`),
        startupTimeoutMs,
      );
      bridge.readyWaiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      if (bridge.failure) bridge.readyWaiter.reject(bridge.failure);
    });
    return bridge;
  }

  get alive(): boolean {
    return this.failure === null;
  }

  /** Why: one COM operation; AgentError for a COM exception, BridgeError when the bridge broke. */
  request(req: BridgeRequest, timeoutMs: number, onProgress?: (p: BridgeProgress) => void): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          this.fail(
            `did not answer "${req.op}" within ${Math.round(timeoutMs / 1000)}s (hung); the PowerShell process was stopped`,
          ),
        timeoutMs,
      );
      this.pending.set(id, { op: req.op, resolve, reject, onProgress, timer });
      this.child.stdin.write(encodeRequest(id, req));
    });
  }

  /** Why: ends the bridge politely (exit request), then forcibly if it does not go. */
  async close(graceMs = 5000): Promise<void> {
    if (this.closing) return this.exited;
    const wasAlive = this.failure === null;
    this.closing = true;
    if (wasAlive) {
      this.child.stdin.end(encodeRequest(0, { op: 'exit' }));
      const timer = setTimeout(() => this.child.kill(), graceMs);
      await this.exited;
      clearTimeout(timer);
    } else {
      this.child.kill();
      await this.exited;
    }
  }

  private onLine(line: string): void {
    if (this.failure || line.trim() === '') return;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.fail(`emitted garbage instead of a JSON line: "${excerpt(line)}"`);
      return;
    }
    if (!this.ready) {
      const ready = readySchema.safeParse(msg);
      if (!ready.success) {
        this.fail(`did not start with its ready line; first line was "${excerpt(line)}"`);
        return;
      }
      this.ready = true;
      this.powershellVersion = ready.data.powershell;
      this.readyWaiter?.resolve();
      return;
    }
    if (typeof msg === 'object' && msg !== null && 'progress' in msg) {
      this.onProgressLine(msg, line);
      return;
    }
    const reply = replySchema.safeParse(msg);
    if (!reply.success) {
      this.fail(`emitted a line that is not a reply: "${excerpt(line)}"`);
      return;
    }
    const r = reply.data;
    if (r.id === 0) return; // the reply to close()'s exit request
    const p = r.id === null ? undefined : this.pending.get(r.id);
    if (!p) {
      // An error before the bridge could read our request id means it cannot parse what we send.
      this.fail(`answered a request it was not asked (id ${r.id}): "${excerpt(line)}"`);
      return;
    }
    this.pending.delete(r.id as number);
    clearTimeout(p.timer);
    if (r.ok) p.resolve(r.result);
    else if (r.com) p.reject(new AgentError(r.hresult, `${p.op}: ${r.message}`));
    else p.reject(new Error(`WUA bridge could not run "${p.op}": ${r.message}`));
  }

  // Progress for a request no longer waiting (timed out) is dropped; the reply decides its fate.
  private onProgressLine(msg: object, line: string): void {
    const progress = progressSchema.safeParse(msg);
    if (!progress.success) {
      this.fail(`emitted a progress line of the wrong shape: "${excerpt(line)}"`);
      return;
    }
    this.pending.get(progress.data.id)?.onProgress?.(progress.data.progress);
  }

  private fail(reason: string): void {
    if (this.failure) return;
    const tail = this.stderrTail.trim();
    this.failure = new BridgeError(
      `WUA bridge (PowerShell) ${reason}${tail ? `; stderr: ${excerpt(tail)}` : ''}`,
    );
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(this.failure);
    }
    this.pending.clear();
    this.readyWaiter?.reject(this.failure);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
}
