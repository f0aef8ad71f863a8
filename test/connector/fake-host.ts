// An in-memory Windows server for the connector's state machine: files, a Task Scheduler with
// the schtasks semantics the connector relies on, an emulated WUA catalog, a power state, and
// the REAL client run logic (src/client/run.ts + ActivityLog) serving its log on an in-memory
// pipe. `host.session()` is a TargetAccess, so a test swaps it for SshTarget without other change.
import { Duplex } from 'node:stream';
import { ActivityLog } from '../../src/client/activity-log.ts';
import {
  AgentError,
  type OperationResult,
  type SearchResult,
  type SystemPort,
  type UpdateAgent,
} from '../../src/client/ports.ts';
import { runUpdates } from '../../src/client/run.ts';
import {
  type ClientStatus,
  type TargetAccess,
  TargetError,
  type TaskInfo,
} from '../../src/connector/ports.ts';
import type { TaskDefinition } from '../../src/model/task-definition.ts';
import type { UpdateInfo } from '../../src/model/update.ts';
import { type Job, jobSchema } from '../../src/protocol/job.ts';
import type { ClientMessage, RunEnd } from '../../src/protocol/messages.ts';
import { taskXmlFile } from '../../src/windows-common/task-xml.ts';
import type { FakeClock } from './fake-clock.ts';

export interface CatalogItem {
  id: string;
  kb: string;
  title?: string;
  sizeMB?: number;
  reboot?: 'never' | 'always';
  requires?: string[];
  /** Install attempts (1-based, counted across cycles) that fail, with their HRESULT. */
  failures?: { attempt: number; hresult: number }[];
  reinstalls?: boolean;
  installMs?: number;
}

export interface HostConfig {
  name?: string;
  catalog: CatalogItem[];
  installed?: string[];
  pendingReboot?: boolean;
  bootStuck?: boolean;
  rebootMs?: number;
  servicingMs?: number;
  /** The task never starts the client; its Last Result becomes this (signed) value. */
  taskNeverStarts?: number;
}

interface TaskEntry {
  xml: string;
  jobPath: string;
  status: 'Ready' | 'Running';
  lastResult: number;
  startBoundary: string;
  started: boolean;
}

interface ClientProc {
  job: Job;
  log: ActivityLog;
  runEnd: RunEnd | null;
  abort: AbortController;
  ackResolve: (seq: number) => void;
  acked: Promise<number>;
  pid: number;
  conns: Set<Duplex>;
}

export interface CallRecord {
  op: string;
  args: string[];
}

function updateInfo(item: CatalogItem, downloaded: boolean): UpdateInfo {
  return {
    id: item.id,
    revision: 1,
    kbs: [item.kb],
    title: item.title ?? `Update for Windows Server (${item.kb})`,
    classification: 'Security Updates',
    categories: ['Security Updates'],
    severity: 'Critical',
    sizeBytes: (item.sizeMB ?? 10) * 1024 * 1024,
    rebootBehavior: item.reboot === 'always' ? 'always' : 'never',
    impact: 'normal',
    eulaAccepted: true,
    optional: false,
    downloaded,
  };
}

export class FakeHost {
  readonly name: string;
  readonly files = new Map<string, Buffer>();
  readonly tasks = new Map<string, TaskEntry>();
  readonly calls: CallRecord[] = [];
  /** Acks to lose on the way to the client (a dead channel). */
  dropAcks = 0;
  /** Install attempts per update id. */
  readonly attempts = new Map<string, number>();
  readonly installed: Set<string>;
  /** Installed, but only effective after the next reboot. */
  readonly awaitingReboot = new Set<string>();
  readonly downloaded = new Set<string>();
  pendingReboot: boolean;
  up = true;
  bootTime: string;
  servicingUntil = 0;
  reboots = 0;
  sessionsOpen = 0;
  private client: ClientProc | null = null;
  private nextPid = 4000;
  /** Bumped on every reboot; sessions from an older boot are dead. */
  private bootGen = 0;

  constructor(
    readonly clock: FakeClock,
    readonly config: HostConfig,
  ) {
    this.name = config.name ?? 'srv01';
    this.installed = new Set(config.installed ?? []);
    this.pendingReboot = config.pendingReboot ?? false;
    this.bootTime = new Date(clock.now() - 86_400_000).toISOString();
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

  get activeClient(): ClientProc | null {
    return this.client;
  }

  // ---- WUA emulation -------------------------------------------------------------------

  private effective(id: string): boolean {
    return this.installed.has(id) && !this.awaitingReboot.has(id);
  }

  private applicable(): CatalogItem[] {
    return this.config.catalog.filter(
      (c) =>
        (!this.installed.has(c.id) || (c.reinstalls && this.effective(c.id))) &&
        (c.requires ?? []).every((r) => this.effective(r)),
    );
  }

  agent(): UpdateAgent {
    const host = this;
    return {
      async search(): Promise<SearchResult> {
        return {
          resultCode: 'succeeded',
          updates: host.applicable().map((c) => updateInfo(c, host.downloaded.has(c.id))),
          warnings: [],
        };
      },
      async acceptEula() {},
      async download(ids: string[]): Promise<OperationResult> {
        for (const id of ids) host.downloaded.add(id);
        return {
          resultCode: 'succeeded',
          hresult: 0,
          rebootRequired: false,
          updates: ids.map((id) => ({ id, resultCode: 'succeeded', hresult: 0 })),
        };
      },
      async install(ids: string[], onProgress): Promise<OperationResult> {
        let reboot = false;
        const updates: OperationResult['updates'] = [];
        for (const [index, id] of ids.entries()) {
          const item = host.config.catalog.find((c) => c.id === id);
          if (!item) throw new AgentError(0x80240024, `unknown update ${id}`);
          const attempt = (host.attempts.get(id) ?? 0) + 1;
          host.attempts.set(id, attempt);
          await host.clock.sleep(item.installMs ?? 1000);
          onProgress?.({ phase: 'install', index, id, percent: 100 });
          const failure = item.failures?.find((f) => f.attempt === attempt);
          if (failure) {
            updates.push({ id, resultCode: 'failed', hresult: failure.hresult });
            continue;
          }
          host.installed.add(id);
          host.downloaded.delete(id);
          const needs = item.reboot === 'always';
          if (needs) {
            host.awaitingReboot.add(id);
            host.pendingReboot = true;
            reboot = true;
          }
          updates.push({ id, resultCode: 'succeeded', hresult: 0, rebootRequired: needs });
        }
        return { resultCode: 'succeeded', hresult: 0, rebootRequired: reboot, updates };
      },
      async rebootRequired() {
        return host.pendingReboot;
      },
      async close() {},
    };
  }

  system(): SystemPort {
    return {
      bootTime: async () => this.bootTime,
      rebootPending: async () => this.pendingReboot,
      servicingInProgress: async () => this.clock.now() < this.servicingUntil,
      reboot: async () => {
        this.reboot();
      },
    };
  }

  // ---- power ---------------------------------------------------------------------------

  /** Listener down, processes killed, pending installs complete, back after rebootMs. */
  reboot(): void {
    if (!this.up) return;
    this.up = false;
    this.bootGen++;
    this.reboots++;
    this.killClient();
    for (const t of this.tasks.values()) t.status = 'Ready';
    const stuck = this.config.bootStuck ?? false;
    void this.clock.sleep(this.config.rebootMs ?? 90_000).then(() => {
      if (stuck) return;
      this.awaitingReboot.clear();
      this.pendingReboot = false;
      this.bootTime = new Date(this.clock.now()).toISOString();
      this.servicingUntil = this.clock.now() + (this.config.servicingMs ?? 0);
      this.up = true;
    });
  }

  killClient(): void {
    const c = this.client;
    if (!c) return;
    c.abort.abort(new Error('killed'));
    for (const conn of c.conns) conn.push(null);
    this.client = null;
  }

  // ---- Task Scheduler ------------------------------------------------------------------

  createTask(name: string, xmlPath: string, overwrite: boolean): void {
    if (this.tasks.has(name) && !overwrite) {
      throw new TargetError('task-exists', `ERROR: Cannot create a file when that file already exists.`, 1);
    }
    const buf = this.files.get(xmlPath);
    if (!buf) throw new TargetError('command-failed', 'ERROR: The system cannot find the file specified.', 1);
    if (buf[0] !== 0xff || buf[1] !== 0xfe)
      throw new TargetError('command-failed', 'ERROR: The task XML is malformed.', 1);
    const xml = buf.subarray(2).toString('utf16le');
    const jobPath = /<Arguments>run --job (?:"|&quot;)(.*?)(?:"|&quot;)<\/Arguments>/.exec(xml)?.[1];
    const startBoundary = /<StartBoundary>(.*?)<\/StartBoundary>/.exec(xml)?.[1] ?? '';
    if (!jobPath) throw new TargetError('command-failed', 'ERROR: The task XML contains no job argument.', 1);
    const entry: TaskEntry = {
      xml,
      jobPath,
      status: 'Ready',
      lastResult: 267011,
      startBoundary,
      started: false,
    };
    this.tasks.set(name, entry);
    const due = Date.parse(startBoundary);
    if (due > this.clock.now()) {
      const gen = this.bootGen;
      void this.clock.sleep(due - this.clock.now()).then(() => {
        if (this.tasks.get(name) === entry && this.bootGen === gen && !entry.started) this.startTask(entry);
      });
    }
  }

  runTask(name: string): void {
    const t = this.tasks.get(name);
    if (!t) throw new TargetError('task-not-found', 'ERROR: The system cannot find the file specified.', 1);
    if (t.status === 'Running') return;
    this.startTask(t);
  }

  private startTask(t: TaskEntry): void {
    t.started = true;
    if (this.config.taskNeverStarts !== undefined) {
      t.lastResult = this.config.taskNeverStarts;
      return;
    }
    const buf = this.files.get(t.jobPath);
    if (!buf) {
      t.lastResult = 2;
      return;
    }
    const job = jobSchema.parse(JSON.parse(buf.toString('utf8')));
    t.status = 'Running';
    void this.runClient(job, t);
  }

  // ---- the client ----------------------------------------------------------------------

  private logPath(job: Job): string {
    return `C:\\ProgramData\\wsus-connector\\runs\\${job.runId}-c${job.cycle}\\log.jsonl`;
  }

  private appendLog(job: Job, msg: ClientMessage | object): void {
    const path = this.logPath(job);
    const prev = this.files.get(path) ?? Buffer.alloc(0);
    this.files.set(path, Buffer.concat([prev, Buffer.from(`${JSON.stringify(msg)}\n`)]));
  }

  private async runClient(job: Job, task: TaskEntry): Promise<void> {
    const abort = new AbortController();
    let ackResolve: (seq: number) => void = () => {};
    const acked = new Promise<number>((r) => {
      ackResolve = r;
    });
    const log = new ActivityLog({ filePath: null, now: () => new Date(this.clock.now()) });
    this.files.set(this.logPath(job), Buffer.alloc(0));
    log.subscribe((m) => this.appendLog(job, m));
    const proc: ClientProc = {
      job,
      log,
      runEnd: null,
      abort,
      ackResolve,
      acked,
      pid: this.nextPid++,
      conns: new Set(),
    };
    this.client = proc;
    const postEvent = (kind: string, message: string) =>
      this.appendLog(job, {
        type: 'event',
        seq: 0,
        time: new Date(this.clock.now()).toISOString(),
        level: 'info',
        kind,
        message,
      });
    try {
      await this.clock.sleep(200, abort.signal);
      const summary = await runUpdates({
        job,
        agent: this.agent(),
        system: this.system(),
        log,
        signal: abort.signal,
      });
      proc.runEnd = log.finish(summary);
      const timeout = this.clock.sleep(job.ackTimeoutSeconds * 1000, abort.signal).then(() => -1);
      const seq = await Promise.race([acked, timeout]);
      if (seq < 0) {
        postEvent('ack.timeout', 'no acknowledgement');
        task.lastResult = 3;
      } else {
        postEvent('ack.received', 'acknowledged');
        task.lastResult = 0;
        if (summary.willReboot) {
          postEvent('reboot.start', 'rebooting now');
          this.reboot();
          return;
        }
      }
    } catch {
      task.lastResult = 130;
    } finally {
      if (this.client === proc) {
        for (const conn of proc.conns) conn.push(null);
        this.client = null;
      }
      if (task.status === 'Running') task.status = 'Ready';
    }
  }

  /** A pipe connection: authenticates with the token, replays from `from`, streams, takes the ack. */
  openPipe(pipe: string): Duplex {
    const proc = this.client && this.client.job.pipe === pipe ? this.client : null;
    let buffered = '';
    let authed = false;
    let unsubscribe: (() => void) | null = null;
    const conn: Duplex = new Duplex({
      read() {},
      write: (chunk: Buffer, _enc, cb) => {
        buffered += chunk.toString('utf8');
        let nl = buffered.indexOf('\n');
        while (nl >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          this.onPipeLine(
            proc,
            conn,
            line,
            authed,
            (a) => {
              authed = a;
            },
            (u) => {
              unsubscribe = u;
            },
          );
          nl = buffered.indexOf('\n');
        }
        cb();
      },
      final: (cb) => {
        unsubscribe?.();
        conn.push(null);
        cb();
      },
      destroy: (_err, cb) => {
        unsubscribe?.();
        proc?.conns.delete(conn);
        cb(null);
      },
    });
    if (!proc) {
      // Like `wsus-client relay` with no client behind the pipe: the channel just closes.
      queueMicrotask(() => conn.push(null));
      return conn;
    }
    proc.conns.add(conn);
    return conn;
  }

  private onPipeLine(
    proc: ClientProc | null,
    conn: Duplex,
    line: string,
    authed: boolean,
    setAuthed: (a: boolean) => void,
    setUnsub: (u: () => void) => void,
  ): void {
    if (!proc) return;
    const msg = JSON.parse(line) as { type: string; token?: string; from?: number; seq?: number };
    if (!authed) {
      if (msg.type !== 'hello' || msg.token !== proc.job.token) {
        conn.push(null);
        return;
      }
      setAuthed(true);
      const from = msg.from ?? 0;
      for (const e of proc.log.events) if (e.seq >= from) conn.push(`${JSON.stringify(e)}\n`);
      if (proc.log.runEnd) {
        conn.push(`${JSON.stringify(proc.log.runEnd)}\n`);
      } else {
        setUnsub(proc.log.subscribe((m) => conn.push(`${JSON.stringify(m)}\n`)));
      }
      return;
    }
    if (msg.type === 'ack' && proc.log.runEnd && msg.seq === proc.log.runEnd.seq) {
      // A write on a channel that died on the way: the connector thinks it was sent.
      if (this.dropAcks > 0) {
        this.dropAcks--;
        conn.push(null);
        return;
      }
      proc.ackResolve(msg.seq);
      conn.push(null);
    }
  }

  status(): ClientStatus {
    const c = this.client;
    return {
      bootTime: this.bootTime,
      rebootPending: this.pendingReboot,
      servicingInProgress: this.clock.now() < this.servicingUntil,
      activeRun: c ? { runId: c.job.runId, cycle: c.job.cycle, pipe: c.job.pipe, pid: c.pid } : null,
    };
  }
}

class FakeSession implements TargetAccess {
  readonly server: string;
  private gen = -1;

  constructor(private readonly host: FakeHost) {
    this.server = host.name;
  }

  private live(op: string, ...args: string[]): void {
    this.host.record(op, ...args);
    if (!this.host.up) throw new TargetError('unreachable', `${this.server}: connection refused`);
    if (this.gen !== this.host.generation) {
      throw new TargetError('unreachable', `${this.server}: the SSH session was lost`);
    }
  }

  async connect(): Promise<void> {
    this.host.record('connect');
    if (!this.host.up) throw new TargetError('unreachable', `${this.server}: connection refused`);
    this.gen = this.host.generation;
    this.host.sessionsOpen++;
  }

  async writeFile(path: string, data: Buffer | string): Promise<void> {
    this.live('writeFile', path);
    this.host.files.set(path, Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'));
  }

  async readFile(path: string): Promise<Buffer | null> {
    this.live('readFile', path);
    return this.host.files.get(path) ?? null;
  }

  async removeFile(path: string): Promise<void> {
    this.live('removeFile', path);
    this.host.files.delete(path);
  }

  async createTask(name: string, task: TaskDefinition, overwrite: boolean): Promise<void> {
    this.live('createTask', name, task.xmlPath, overwrite ? '/F' : '');
    this.host.files.set(task.xmlPath, taskXmlFile(task));
    this.host.createTask(name, task.xmlPath, overwrite);
  }

  async runTask(name: string): Promise<void> {
    this.live('runTask', name);
    this.host.runTask(name);
  }

  async queryTask(name: string): Promise<TaskInfo | null> {
    this.live('queryTask', name);
    const t = this.host.tasks.get(name);
    if (!t) return null;
    return { name, status: t.status, lastResult: t.lastResult, lastRunTime: null, nextRunTime: null };
  }

  async endTask(name: string): Promise<void> {
    this.live('endTask', name);
    this.host.killClient();
  }

  async deleteTask(name: string): Promise<void> {
    this.live('deleteTask', name);
    if (!this.host.tasks.delete(name)) {
      throw new TargetError('task-not-found', 'ERROR: The system cannot find the file specified.', 1);
    }
  }

  async openPipe(pipe: string): Promise<Duplex> {
    this.live('openPipe', pipe);
    return this.host.openPipe(pipe);
  }

  async clientStatus(): Promise<ClientStatus> {
    this.live('clientStatus');
    return this.host.status();
  }

  async probe(): Promise<{ ping: boolean; transport: boolean }> {
    return { ping: this.host.up, transport: this.host.up };
  }

  async close(): Promise<void> {
    this.host.record('close');
    this.gen = -1;
  }
}
