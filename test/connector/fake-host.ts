// An in-memory Windows server for the connector's state machine, on a virtual clock. Its parts are
// the product's own: the lab's WUA and SystemPort (memory-wua.ts), the client's run, log, pipe
// server and end of run (fake-client.ts), and the lab's reading of task XML. What is left here is
// the shell no real piece covers in memory: files, a task table, power and `wsus-client status`.
// `host.session()` is a TargetAccess (fake-session.ts), so a test swaps in SshTarget unchanged.
import type { Duplex } from 'node:stream';
import { type ClientStatus, type TargetAccess, TargetError } from '../../src/connector/ports.ts';
import { isoInZone } from '../../src/lab/local-time.ts';
import { tokenizeCmdLine } from '../../src/lab/ssh/cmd-line.ts';
import { parseTaskXml, TaskXmlError } from '../../src/lab/tasks/task-xml-parse.ts';
import {
  SCHED_S_TASK_HAS_NOT_RUN,
  SCHED_S_TASK_RUNNING,
  SCHED_S_TASK_TERMINATED,
} from '../../src/model/task-result.ts';
import { jobSchema } from '../../src/protocol/job.ts';
import { MSG } from '../../src/windows-common/schtasks-messages.ts';
import { FakeClient } from './fake-client.ts';
import type { FakeClock } from './fake-clock.ts';
import { FakeSession } from './fake-session.ts';
import { type CatalogItem, MemoryWua } from './memory-wua.ts';

export type { CatalogItem };

export interface HostConfig {
  name?: string;
  catalog: CatalogItem[];
  installed?: string[];
  pendingReboot?: boolean;
  bootStuck?: boolean;
  rebootMs?: number;
  servicingMs?: number;
  /** The task's action cannot start; its Last Result becomes this (signed) value. */
  taskNeverStarts?: number;
}

export interface TaskEntry {
  command: string;
  arguments: string;
  status: 'Ready' | 'Running';
  lastResult: number;
  started: boolean;
  client: FakeClient | null;
}

export interface CallRecord {
  op: string;
  args: string[];
}

export class FakeHost {
  readonly name: string;
  readonly files = new Map<string, Buffer>();
  readonly tasks = new Map<string, TaskEntry>();
  readonly calls: CallRecord[] = [];
  /** Tasks deleted while their client still ran (it keeps running; its exit code is lost). */
  readonly deletedWhileRunning: string[] = [];
  readonly wua: MemoryWua;
  up = true;
  reboots = 0;
  private client: FakeClient | null = null;
  private nextPid = 4000;
  /** Bumped on every reboot; sessions and timers from an older boot are dead. */
  private bootGen = 0;

  constructor(
    readonly clock: FakeClock,
    readonly config: HostConfig,
  ) {
    this.name = config.name ?? 'srv01';
    this.wua = new MemoryWua(clock, { ...config, name: this.name });
  }

  /** A TargetAccess over this host (one SSH session's worth). */
  session(): TargetAccess {
    return new FakeSession(this);
  }

  get generation(): number {
    return this.bootGen;
  }

  record(op: string, ...args: string[]): void {
    this.calls.push({ op, args });
  }

  get installed(): Set<string> {
    return this.wua.installed;
  }
  get downloaded(): Set<string> {
    return this.wua.downloaded;
  }
  get attempts(): Map<string, number> {
    return this.wua.attempts;
  }

  // ---- power ---------------------------------------------------------------------------

  /** Why: shutdown /r: listener down, processes killed, back after rebootMs with a new boot time. */
  reboot(): void {
    if (!this.up) return;
    this.up = false;
    this.bootGen++;
    this.reboots++;
    for (const t of this.tasks.values()) {
      if (t.status === 'Running') t.lastResult = SCHED_S_TASK_TERMINATED;
      t.status = 'Ready';
      t.client?.kill();
      t.client = null;
    }
    this.client = null;
    if (this.wua.state.bootStuck) return;
    void this.clock.sleep(this.wua.state.rebootSeconds * 1000).then(() => {
      this.wua.completeReboot();
      this.up = true;
    });
  }

  // ---- Task Scheduler ------------------------------------------------------------------

  /** Why: schtasks /Create /XML: the XML is read as the lab's Task Scheduler reads it. */
  createTask(name: string, xmlPath: string, overwrite: boolean): void {
    if (this.tasks.has(name) && !overwrite) {
      throw new TargetError('task-exists', 'ERROR: Cannot create a file when that file already exists.', 1);
    }
    const buf = this.files.get(xmlPath);
    if (!buf) throw new TargetError('command-failed', MSG.notFound, 1);
    let def: ReturnType<typeof parseTaskXml>;
    try {
      def = parseTaskXml(buf);
    } catch (err) {
      if (err instanceof TaskXmlError) throw new TargetError('command-failed', err.message, 1);
      throw err;
    }
    const entry: TaskEntry = {
      command: def.command,
      arguments: def.arguments,
      status: 'Ready',
      lastResult: SCHED_S_TASK_HAS_NOT_RUN,
      started: false,
      client: null,
    };
    this.tasks.set(name, entry);
    const due = def.startBoundary ? Date.parse(def.startBoundary) : Number.NaN;
    if (due > this.clock.now()) {
      const gen = this.bootGen;
      void this.clock.sleep(due - this.clock.now()).then(() => {
        if (this.tasks.get(name) === entry && this.bootGen === gen && !entry.started) this.startTask(entry);
      });
    }
  }

  runTask(name: string): void {
    const t = this.tasks.get(name);
    if (!t) throw new TargetError('task-not-found', MSG.notFound, 1);
    if (t.status === 'Running') return;
    this.startTask(t);
  }

  /** Why: schtasks /Delete /F: the definition goes; a running instance keeps running. */
  deleteTask(name: string): void {
    const t = this.tasks.get(name);
    if (!t) throw new TargetError('task-not-found', MSG.notFound, 1);
    if (t.status === 'Running') this.deletedWhileRunning.push(name);
    this.tasks.delete(name);
  }

  endTask(name: string): void {
    const t = this.tasks.get(name);
    if (!t?.client) return;
    t.client.kill();
  }

  private startTask(t: TaskEntry): void {
    t.started = true;
    if (this.config.taskNeverStarts !== undefined) {
      t.lastResult = this.config.taskNeverStarts;
      return;
    }
    const [verb, flag, jobPath] = tokenizeCmdLine(t.arguments);
    const buf = jobPath ? this.files.get(jobPath) : undefined;
    if (verb !== 'run' || flag !== '--job' || !buf) {
      t.lastResult = 2;
      return;
    }
    const job = jobSchema.parse(JSON.parse(buf.toString('utf8')));
    const logPath = `${jobPath!.replace(/\\[^\\]*$/, '')}\\log.jsonl`;
    const client = new FakeClient(this.clientHost(), job, logPath, this.nextPid++);
    t.status = 'Running';
    t.lastResult = SCHED_S_TASK_RUNNING;
    t.client = client;
    this.client = client;
    const gen = this.bootGen;
    void client.run().then((code) => {
      if (this.client === client) this.client = null;
      if (t.client !== client || this.bootGen !== gen) return;
      t.client = null;
      t.status = 'Ready';
      t.lastResult = code;
    });
  }

  private clientHost() {
    return {
      clock: this.clock,
      agent: (signal: AbortSignal) => this.wua.agent(signal),
      // Like the lab: the reboot starts once shutdown.exe has returned to the client.
      system: this.wua.system(() => void setImmediate(() => this.reboot())),
      create: (path: string) => this.files.set(path, Buffer.alloc(0)),
      append: (path: string, text: string) =>
        this.files.set(path, Buffer.concat([this.files.get(path) ?? Buffer.alloc(0), Buffer.from(text)])),
    };
  }

  // ---- the client's pipe and status ----------------------------------------------------

  /** Why: `wsus-client relay`: with no client behind the pipe the channel just closes. */
  openPipe(pipe: string): Duplex | null {
    const c = this.client && this.client.job.pipe === pipe ? this.client : null;
    return c?.connect() ?? null;
  }

  status(): ClientStatus {
    const c = this.client;
    return {
      bootTime: this.bootTimeText(),
      rebootPending: this.wua.pendingReboot,
      servicingInProgress: this.wua.servicing,
      activeRun: c ? { runId: c.job.runId, cycle: c.job.cycle, pipe: c.job.pipe, pid: c.pid } : null,
    };
  }

  private bootTimeText(): string {
    return isoInZone(this.wua.state.bootTimeMs, this.wua.state.timeZone);
  }
}
