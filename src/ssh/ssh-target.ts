// TargetAccess over SSH to Windows OpenSSH Server (or a lab host): schtasks and the client through
// cmd.exe command lines (docs/target-commands.md), files over SFTP, the pipe through
// `wsus-client relay`. Host keys are always verified against known_hosts. Every request has a
// deadline, and a step that is safe to repeat reconnects after a drop (docs/usage.md "Bounds and retries").
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import { type ClientStatus, type TargetAccess, TargetError, type TaskInfo } from '../connector/ports.ts';
import { createExec } from '../local/exec.ts';
import { ping, tcpProbe } from '../local/reachability.ts';
import type { TaskDefinition } from '../model/task-definition.ts';
import { clientStatusSchema } from '../protocol/client-status.ts';
import { protectFolderArgv } from '../windows-common/folder-acl.ts';
import {
  createTaskArgv,
  deleteTaskArgv,
  endTaskArgv,
  queryTaskArgv,
  runTaskArgv,
  toCmdLine,
} from '../windows-common/schtasks-command.ts';
import { classifySchtasksError, parseSchtasksQuery } from '../windows-common/schtasks-query.ts';
import { taskXmlFile } from '../windows-common/task-xml.ts';
import { DEFAULT_SSH_LIMITS, retryUnreachable, type SshLimits } from './bounded.ts';
import type { Inventory } from './inventory.ts';
import { openConnection, type SshConnection, type SshEndpoint } from './ssh-connect.ts';
import {
  type ExecResult,
  execOn,
  openChannel,
  openSftp,
  type RequestContext,
  sftpRead,
  sftpRemove,
  sftpWrite,
} from './ssh-requests.ts';

export type { SshEndpoint };

interface CommonOptions {
  server: string;
  /** Deadlines and retry bounds; the defaults suit real hosts. */
  limits?: Partial<SshLimits>;
}

export type SshTargetOptions =
  | (CommonOptions & { inventory: Inventory })
  | (CommonOptions & {
      host: string;
      port?: number;
      user?: string | undefined;
      identityPath?: string | undefined;
      knownHostsPath?: string | undefined;
    });

/** Why: the endpoint from an inventory entry or from the --ssh-* flags and OpenSSH defaults. */
function endpointOf(o: SshTargetOptions): SshEndpoint {
  if ('inventory' in o) {
    const h = o.inventory.hosts.find((x) => x.name.toLowerCase() === o.server.toLowerCase());
    if (!h) throw new TargetError('unreachable', `${o.server} is not in the inventory ${o.inventory.path}`);
    return {
      server: o.server,
      host: h.address,
      port: h.port,
      user: h.user,
      identityPath: h.identityFile,
      ...(h.knownHosts ? { knownHosts: h.knownHosts } : {}),
      ...(h.knownHostsFile ? { knownHostsPath: h.knownHostsFile } : {}),
    };
  }
  return {
    server: o.server,
    host: o.host,
    port: o.port ?? 22,
    user: o.user ?? process.env.USER ?? 'Administrator',
    identityPath: o.identityPath ?? join(homedir(), '.ssh', 'id_ed25519'),
    knownHostsPath: o.knownHostsPath ?? join(homedir(), '.ssh', 'known_hosts'),
  };
}

/** Why: one quoted cmd.exe token for the client path (it may hold spaces or be a UNC path). */
function clientCmd(clientPath: string, args: string[]): string {
  return toCmdLine([clientPath, ...args]);
}

export class SshTarget implements TargetAccess {
  readonly server: string;
  readonly limits: SshLimits;
  private readonly ep: SshEndpoint;
  private conn: SshConnection | null = null;
  private sftpP: Promise<SFTPWrapper> | null = null;
  private connected = false;

  constructor(opts: SshTargetOptions) {
    this.server = opts.server;
    this.ep = endpointOf(opts);
    this.limits = { ...DEFAULT_SSH_LIMITS, ...opts.limits };
  }

  /**
   * Why: the handshake, with the host key checked before any credential is used. The first
   * connection of a run waits up to connectWaitMs for a host that refuses (still rebooting).
   */
  async connect(): Promise<void> {
    if (this.conn) return;
    const first = !this.connected;
    const once = () => this.open();
    if (first) await retryUnreachable(this.limits.connectWaitMs, once);
    else await once();
  }

  private async open(): Promise<void> {
    if (this.conn) return;
    const conn = await openConnection(this.ep, this.limits.connectMs);
    conn.on('close', () => this.forget(conn));
    this.conn = conn;
    this.connected = true;
  }

  /** Why: a closed or stuck connection is forgotten so the next step opens a fresh one. */
  private forget(conn: SshConnection): void {
    if (this.conn !== conn) return;
    this.conn = null;
    this.sftpP = null;
  }

  /** Why: the current connection (opened on demand) and a way to drop it when a request sticks. */
  private async ctx(): Promise<RequestContext> {
    if (!this.conn) await this.open();
    const conn = this.conn;
    if (!conn) throw new TargetError('unreachable', `${this.server}: not connected`);
    return {
      server: this.server,
      conn,
      kill: () => {
        this.forget(conn);
        conn.destroy();
      },
    };
  }

  /** Why: a step safe to repeat survives a dropped connection by reconnecting within the bound. */
  private again<T>(step: () => Promise<T>): Promise<T> {
    return retryUnreachable(this.limits.retryWindowMs, step);
  }

  private async exec(cmd: string): Promise<ExecResult> {
    return execOn(await this.ctx(), cmd, this.limits.execMs);
  }

  private async schtasks(argv: string[]): Promise<ExecResult> {
    const r = await this.exec(toCmdLine(argv));
    if (r.code !== 0) throw classifySchtasksError(r.stdout, r.stderr, r.code);
    return r;
  }

  private async withSftp<T>(fn: (ctx: RequestContext, sftp: SFTPWrapper) => Promise<T>): Promise<T> {
    const ctx = await this.ctx();
    if (!this.sftpP) {
      const p = openSftp(ctx, this.limits.requestMs);
      this.sftpP = p;
      p.catch(() => {
        if (this.sftpP === p) this.sftpP = null;
      });
    }
    return fn(ctx, await this.sftpP);
  }

  async writeFile(path: string, data: Buffer | string): Promise<void> {
    await this.again(() => this.withSftp((c, s) => sftpWrite(c, s, path, data, this.limits.requestMs)));
  }

  async readFile(path: string): Promise<Buffer | null> {
    return this.again(() => this.withSftp((c, s) => sftpRead(c, s, path, this.limits.requestMs)));
  }

  async removeFile(path: string): Promise<void> {
    await this.again(() => this.withSftp((c, s) => sftpRemove(c, s, path, this.limits.requestMs)));
  }

  async protectFolder(path: string): Promise<void> {
    // Created over SFTP first (icacls needs it to exist), then the explicit ACL.
    await this.writeFile(`${path}\\.protected`, '');
    await this.removeFile(`${path}\\.protected`);
    const r = await this.again(() => this.exec(toCmdLine(protectFolderArgv(path))));
    if (r.code !== 0)
      throw new TargetError(
        'access-denied',
        `${this.server}: icacls ${path} exited ${r.code}: ${(r.stderr || r.stdout).trim().slice(0, 200)}`,
      );
  }

  async createTask(name: string, task: TaskDefinition, overwrite: boolean): Promise<void> {
    await this.writeFile(task.xmlPath, taskXmlFile(task));
    const create = () => this.schtasks(createTaskArgv(name, task.xmlPath, overwrite));
    // /F replaces the task, so only the overwriting form is safe to repeat after a drop.
    await (overwrite ? this.again(create) : create());
  }

  async runTask(name: string): Promise<void> {
    await this.schtasks(runTaskArgv(name));
  }

  async queryTask(name: string): Promise<TaskInfo | null> {
    try {
      const r = await this.again(() => this.schtasks(queryTaskArgv(name)));
      return parseSchtasksQuery(r.stdout)[0] ?? null;
    } catch (err) {
      if (err instanceof TargetError && err.kind === 'task-not-found') return null;
      throw err;
    }
  }

  async endTask(name: string): Promise<void> {
    await this.again(() => this.schtasks(endTaskArgv(name)));
  }

  async deleteTask(name: string): Promise<void> {
    await this.schtasks(deleteTaskArgv(name));
  }

  /** Why: the pipe is local to the target; `wsus-client relay` bridges it to this channel. */
  async openPipe(pipe: string, clientPath: string): Promise<Duplex> {
    const cmd = clientCmd(clientPath, ['relay', '--pipe', pipe]);
    return this.again(async () => openChannel(await this.ctx(), cmd, this.limits.requestMs));
  }

  async clientStatus(clientPath: string): Promise<ClientStatus> {
    const r = await this.again(() => this.exec(clientCmd(clientPath, ['status'])));
    if (r.code !== 0) {
      const msg = (r.stderr || r.stdout).trim().split(/\r?\n/)[0]?.slice(0, 200) ?? '';
      throw new TargetError(
        'command-failed',
        `${this.server}: "${clientPath}" status exited ${r.code}: ${msg}`,
        r.code ?? undefined,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(r.stdout);
    } catch {
      throw new TargetError(
        'command-failed',
        `${this.server}: client status is not JSON: ${r.stdout.slice(0, 200)}`,
      );
    }
    const s = clientStatusSchema.safeParse(json);
    if (!s.success)
      throw new TargetError('command-failed', `${this.server}: client status has an unexpected shape`);
    return s.data as ClientStatus;
  }

  async probe(): Promise<{ ping: boolean; transport: boolean }> {
    const [p, t] = await Promise.all([
      ping(createExec(), this.ep.host).catch(() => false),
      tcpProbe(this.ep.host, this.ep.port),
    ]);
    return { ping: p, transport: t };
  }

  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    this.sftpP = null;
    if (!conn) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        conn.destroy();
        resolve();
      }, 2000);
      t.unref();
      conn.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      conn.end();
    });
  }
}
