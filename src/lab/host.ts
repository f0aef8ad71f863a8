// One emulated Windows server: its SSH front end, Task Scheduler, disk and WUA state, and power.
// A reboot closes the listener and drops connections, kills running client processes and tasks,
// completes pending installs, then after rebootSeconds × timeScale listens again on the same port
// with a new boot time (docs/lab.md). A bootStuck host never comes back.
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { clientMain } from '../client/main.ts';
import { mapTargetPath } from '../client/process-env.ts';
import { labClientEnv } from './client-env.ts';
import { labClientParts } from './client-parts.ts';
import { spawnClient } from './client-spawn.ts';
import { usersCanRead } from './folder-acl.ts';
import { hostExec, type SessionOverride } from './host-exec.ts';
import { HostFaults } from './host-faults.ts';
import { completeReboot, initHostState } from './host-state.ts';
import { watchRebootRequests } from './reboot-requests.ts';
import type { CatalogEntry, ScenarioHost } from './scenario.ts';
import { tokenizeCmdLine } from './ssh/cmd-line.ts';
import { isClientPath } from './ssh/exec-dispatch.ts';
import type { FrontFault } from './ssh/front-faults.ts';
import { type KeyPair, newKeyPair } from './ssh/keys.ts';
import { createSshFront, type ExecIo, type SshFront } from './ssh/server.ts';
import {
  createTaskScheduler,
  type LabTaskScheduler,
  type RunningTask,
  type TaskAction,
} from './tasks/scheduler.ts';
import { createWinrmFront, type WinrmFront } from './winrm/http-front.ts';
import { ownState } from './wua/state.ts';

export interface LabHostOptions {
  host: ScenarioHost;
  catalog: CatalogEntry[];
  timeScale: number;
  hostDir: string;
  pipeDir: string;
  hostKey: KeyPair;
  user: string;
  userPublicKey: string;
  clientPath: string;
  /** The WinRM account's password (docs/lab.md "WinRM"); the user is `user`. */
  winrmPassword: string;
  /** Run the client as a child process (as on a real server) instead of in this process. */
  spawn?: boolean;
}

const ERROR_FILE_NOT_FOUND_HRESULT = 0x80070002 | 0;

export class LabHost {
  readonly name: string;
  port = 0;
  winrmPort = 0;
  private readonly options: LabHostOptions;
  private readonly front: SshFront;
  private readonly winrm: WinrmFront;
  private tasks: LabTaskScheduler | null = null;
  private power = new AbortController();
  private down = false;
  private stopped = false;
  private rebootTimer: NodeJS.Timeout | null = null;
  private watcher: NodeJS.Timeout | null = null;
  private readonly faults: HostFaults;
  private readonly clientKills = new Set<AbortController>();
  /** Called with each power event, for the lab's console output. */
  onEvent: (message: string) => void = () => {};
  /** Every command line the SSH front end received, as received (tests prove what reached it). */
  onExec: (line: string) => void = () => {};

  constructor(o: LabHostOptions) {
    this.options = o;
    this.name = o.host.name;
    this.front = createSshFront({
      hostKey: o.hostKey,
      user: o.user,
      userPublicKey: o.userPublicKey,
      diskDir: this.diskDir,
      exec: (line, io) => this.exec(line, io),
    });
    // A WinRM cmd shell runs each command as cmd.exe would (docs/lab.md "WinRM").
    this.winrm = createWinrmFront({
      computerName: o.host.name,
      user: o.user,
      password: o.winrmPassword,
      exec: (line, io, codePage) => this.exec(line, io, { shell: 'cmd', codePage }),
    });
    this.faults = new HostFaults(
      o.host.faults,
      {
        front: (f) => {
          this.front.inject(f);
          this.winrm.inject(f);
        },
        killClients: () => {
          for (const k of this.clientKills) k.abort(new Error('killed (fault injection)'));
        },
        note: (m) => this.onEvent(`${this.name}: ${m}`),
      },
      join(this.diskDir, 'ProgramData', 'wsus-connector', 'runs'),
      o.timeScale,
    );
    this.front.onStage(() => this.faults.fire('stage'));
  }

  /** A minute × timeScale, at least half a second so a fast lab is not flooded. */
  private get heartbeatSeconds(): number {
    return Math.min(60, Math.max(0.5, 60 * this.options.timeScale));
  }

  get diskDir(): string {
    return join(this.options.hostDir, 'disk');
  }

  /** Why: initialises disk and state from the scenario and starts listening. */
  async start(): Promise<number> {
    // In-process clients: this process alone writes the host's state (a spawned client writes it too).
    if (!this.options.spawn) ownState(this.options.hostDir);
    await initHostState(
      this.options.hostDir,
      { host: this.options.host, catalog: this.options.catalog, timeScale: this.options.timeScale },
      Date.now(),
    );
    await mkdir(join(this.diskDir, 'Users', 'Administrator'), { recursive: true });
    await mkdir(this.options.pipeDir, { recursive: true });
    await this.boot();
    this.faults.watchLogs();
    return this.port;
  }

  private async boot(): Promise<void> {
    this.power = new AbortController();
    this.tasks = createTaskScheduler({
      stateDir: join(this.options.hostDir, 'state'),
      timeZone: this.options.host.timeZone,
      hostName: this.name,
      // The host's Task Scheduler reads boundaries against the host's own (skewed) clock.
      now: () => Date.now() + this.options.host.clockSkewSeconds * 1000,
      locale: this.options.host.locale,
      readFile: (p) => this.readTargetFile(p),
      launch: (action) => this.launch(action),
    });
    this.port = await this.front.listen(this.port);
    this.winrmPort = await this.winrm.listen(this.winrmPort);
    this.down = false;
    if (this.options.spawn) this.watcher = watchRebootRequests(this.options.hostDir, (c) => this.reboot(c));
  }

  // Synchronous like the other small state files of a host (src/lab/wua/state.ts).
  private async readTargetFile(targetPath: string): Promise<Buffer | null> {
    return this.isTargetFile(targetPath) ? readFileSync(this.onDisk(targetPath)) : null;
  }

  /** Why: where a Windows path of this host lies in its disk folder. */
  private onDisk(targetPath: string): string {
    return mapTargetPath(targetPath, 'linux', { WSUS_TARGET_ROOT: this.diskDir });
  }

  private isTargetFile(targetPath: string): boolean {
    return statSync(this.onDisk(targetPath), { throwIfNoEntry: false })?.isFile() ?? false;
  }

  private exec(line: string, io: ExecIo, session: SessionOverride = {}): Promise<number> {
    this.onExec(line);
    const o = this.options;
    return hostExec(
      {
        name: this.name,
        host: o.host,
        clientPath: o.clientPath,
        hostDir: o.hostDir,
        diskDir: this.diskDir,
        tasks: () => this.tasks,
        onDisk: (p) => this.onDisk(p),
        isTargetFile: (p) => this.isTargetFile(p),
        runClient: (args, cio) => this.runClient(args, cio),
        onStage: () => this.faults.fire('stage'),
      },
      line,
      io,
      session,
    );
  }

  /** Why: the real client, in this process against the lab host, or as a child process. */
  private async runClient(args: string[], io: ExecIo, kill?: AbortSignal): Promise<number> {
    const power = this.power.signal;
    const signal = kill ? AbortSignal.any([power, kill]) : power;
    if (this.options.spawn) {
      const env = { hostDir: this.options.hostDir, diskDir: this.diskDir, pipeDir: this.options.pipeDir };
      return spawnClient(args, io, signal, { ...env, heartbeatSeconds: this.heartbeatSeconds });
    }
    const parts = await labClientParts(this.options.hostDir, {
      requestReboot: (comment) => setImmediate(() => this.reboot(comment)),
      signal: power,
    });
    const clientEnv = labClientEnv({
      diskDir: this.diskDir,
      pipeDir: this.options.pipeDir,
      agent: parts.agent,
      system: parts.system,
      stdin: io.stdin,
      stdout: io.stdout,
      stderr: io.stderr,
      signal,
      heartbeatSeconds: this.heartbeatSeconds,
    });
    return clientMain(args, clientEnv);
  }

  /** Why: a task's action runs the client with no terminal; its output goes to a host log. */
  private launch(action: TaskAction): RunningTask {
    const kill = new AbortController();
    if (!isClientPath(action.command, this.options.clientPath)) {
      return { exit: Promise.resolve(ERROR_FILE_NOT_FOUND_HRESULT), kill: () => {} };
    }
    const out = new PassThrough();
    const logFile = join(this.options.hostDir, 'state', 'task-output.log');
    out.on('data', (c: Buffer) => {
      try {
        appendFileSync(logFile, c);
      } catch {}
    });
    const stdin = new PassThrough();
    stdin.end();
    const exit = this.runClient(
      tokenizeCmdLine(action.arguments),
      { stdin, stdout: out, stderr: out },
      kill.signal,
    );
    this.clientKills.add(kill);
    void exit.finally(() => this.clientKills.delete(kill));
    setImmediate(() => this.faults.fire('cycle-start'));
    return { exit, kill: () => kill.abort(new Error('task ended')) };
  }

  /** Why: the power cycle (shutdown /r): down now, back after rebootSeconds × timeScale. */
  reboot(comment: string): void {
    if (this.down || this.stopped) return;
    this.down = true;
    this.onEvent(`${this.name}: rebooting (${comment || 'no comment'})`);
    if (this.watcher) clearInterval(this.watcher);
    this.power.abort(new Error('the host is rebooting'));
    this.tasks?.powerOff();
    this.tasks?.close();
    this.tasks = null;
    void this.front.close();
    void this.winrm.close();
    this.faults.fire('reboot-down');
    if (this.options.host.bootStuck) {
      this.onEvent(`${this.name}: stuck at boot (bootStuck), it will not come back`);
      return;
    }
    const ms = this.options.host.rebootSeconds * this.options.timeScale * 1000;
    this.rebootTimer = setTimeout(() => {
      this.rebootTimer = null;
      void (async () => {
        if (this.stopped) return;
        const { bootTime } = await completeReboot(this.options.hostDir, Date.now());
        await this.boot();
        this.onEvent(`${this.name}: back up, boot time ${bootTime}`);
        this.faults.fire('reboot-up');
      })().catch((err) => this.onEvent(`${this.name}: boot failed: ${(err as Error).message}`));
    }, ms);
  }

  /** Why: whether a local non-admin user could read this path on the host (docs/lab.md "Folder ACLs"). */
  usersCanRead(targetPath: string): boolean {
    return usersCanRead(this.options.hostDir, targetPath);
  }

  /** Why: from the next boot on, the host presents a new host key (docs/lab.md "Host key change"). */
  replaceHostKey(): void {
    this.front.replaceHostKey(newKeyPair(`${this.name}-replaced-host-key`));
  }

  /** Why: a network fault on this host's SSH front end, now or on its next request (docs/lab.md). */
  injectFault(fault: FrontFault): void {
    if (this.down || this.stopped) return;
    this.onEvent(`${this.name}: fault ${fault.do}`);
    this.front.inject(fault);
    this.winrm.inject(fault);
  }

  /** Why: the lab's end: everything closed, the disk and state kept for inspection. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.faults.stop();
    if (this.rebootTimer) clearTimeout(this.rebootTimer);
    if (this.watcher) clearInterval(this.watcher);
    this.power.abort(new Error('the lab is stopping'));
    this.tasks?.close();
    this.tasks = null;
    await this.front.close();
    await this.winrm.close();
  }
}
