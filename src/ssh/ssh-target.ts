// TargetAccess over SSH to Windows OpenSSH Server (or a lab host): schtasks and the client through
// the session's shell (docs/target-commands.md), files over SFTP, the pipe through `wsus-client
// relay`. Host keys are always verified against known_hosts. Every request has a deadline, and a
// step that is safe to repeat reconnects after a drop (docs/usage.md "Bounds and retries").
import type { Duplex } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import { type ClientStatus, type ShellInfo, type TargetAccess, TargetError } from '../connector/ports.ts';
import { tcpProbe } from '../local/reachability.ts';
import { formatDuration } from '../model/duration.ts';
import { aclFailureMessage } from '../remote-common/acl-failure.ts';
import { parseClientStatus } from '../remote-common/client-status-output.ts';
import { retryUnreachable } from '../remote-common/retry.ts';
import { needsSessionCopy, stageSessionClient } from '../remote-common/session-client.ts';
import { sharedUntilFailed } from '../remote-common/shared-until-failed.ts';
import { ShellTaskTarget } from '../remote-common/shell-task-target.ts';
import { protectFolderArgv } from '../windows-common/folder-acl.ts';
import { runSchtasks } from '../windows-common/schtasks-run.ts';
import { DEFAULT_SSH_LIMITS, type SshLimits } from './bounded.ts';
import {
  decodeSessionText,
  probeCodePage,
  probeShell,
  type RawResult,
  requireShell,
  type SessionShell,
  sessionCommandLine,
  sessionShellInfo,
} from './session-shell.ts';
import { openConnection, type SshConnection, type SshEndpoint } from './ssh-connect.ts';
import { endpointOf, type SshTargetOptions } from './ssh-endpoint.ts';
import {
  execOn,
  openChannel,
  openSftp,
  type RequestContext,
  sftpMakeFolder,
  sftpRead,
  sftpRemove,
  sftpWrite,
} from './ssh-requests.ts';

export type { SshEndpoint, SshTargetOptions };

export class SshTarget extends ShellTaskTarget implements TargetAccess {
  readonly server: string;
  readonly limits: SshLimits;
  private readonly ep: SshEndpoint;
  private conn: SshConnection | null = null;
  private sftpP: Promise<SFTPWrapper> | null = null;
  private connected = false;
  private connecting: Promise<void> | null = null;
  /** The folders made over SFTP during this run (src/ssh/ssh-requests.ts). */
  private readonly madeDirs = new Set<string>();
  private sessionClientP: Promise<string> | null = null;

  constructor(opts: SshTargetOptions) {
    super();
    this.server = opts.server;
    this.ep = endpointOf(opts);
    this.limits = { ...DEFAULT_SSH_LIMITS, ...opts.limits };
  }

  /**
   * Why: the handshake, with the host key checked before any credential is used. The first
   * connection of a run waits up to connectWaitMs for a host that refuses (still rebooting).
   */
  async connect(onWait?: (text: string) => void): Promise<void> {
    if (this.conn) return;
    const once = () => this.open();
    if (this.connected) return once();
    let said = false;
    await retryUnreachable(this.limits.connectWaitMs, once, (err) => {
      if (said) return;
      said = true;
      const upTo = formatDuration(this.limits.connectWaitMs);
      onWait?.(`${err.message}; waiting up to ${upTo} for it to accept connections (--connect-timeout)`);
    });
  }

  /**
   * Why: the lease renewer and the orchestrator both reconnect after a reboot; two handshakes at
   * once left one connection orphaned (its keepalive held the process open after the run), so
   * concurrent callers share the one handshake in flight.
   */
  private open(): Promise<void> {
    if (this.conn) return Promise.resolve();
    this.connecting ??= openConnection(this.ep, this.limits.connectMs)
      .then((conn) => {
        conn.on('close', () => this.forget(conn));
        this.conn = conn;
        this.connected = true;
      })
      .finally(() => {
        this.connecting = null;
      });
    return this.connecting;
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
      madeDirs: this.madeDirs,
    };
  }

  /** Why: a step safe to repeat survives a dropped connection by reconnecting within the bound. */
  private again<T>(step: () => Promise<T>): Promise<T> {
    return retryUnreachable(this.limits.retryWindowMs, step);
  }

  /** Why: one exec request (stdin closed at once), its output and exit code, within execMs. */
  private async exec(cmd: string): Promise<RawResult> {
    return execOn(await this.ctx(), cmd, this.limits.execMs);
  }

  /** Why: the shell, probed once; every command line is built for that shell. */
  private readonly shellProbe = sharedUntilFailed(() =>
    probeShell((line) => this.again(() => this.exec(line))),
  );
  private async shell(): Promise<SessionShell> {
    return requireShell(await this.shellProbe(), this.server);
  }

  /** Why: the console code page, probed once, and only when some output needs it. */
  private readonly codePage = sharedUntilFailed(() =>
    probeCodePage((line) => this.again(() => this.exec(line))),
  );

  /** Why: preflight reads the shell and code page this session's commands are built and read with. */
  async shellInfo(): Promise<ShellInfo> {
    const probe = await this.shellProbe();
    return sessionShellInfo(probe, 'shell' in probe ? await this.codePage() : null);
  }

  /** Why: session text (schtasks, icacls, the shell's own errors) as the target meant it. */
  private decode(bytes: Buffer): Promise<string> {
    return decodeSessionText(bytes, this.codePage);
  }

  /** Why: in-session commands cannot reach a share, so they run a copy on the target's disk. */
  private sessionClient(clientPath: string): Promise<string> {
    if (!needsSessionCopy(clientPath)) return Promise.resolve(clientPath);
    if (!this.sessionClientP) {
      this.sessionClientP = stageSessionClient(this, this.server, clientPath, this.ep.clientFile);
      this.sessionClientP.catch(() => {
        this.sessionClientP = null;
      });
    }
    return this.sessionClientP;
  }

  private async clientLine(clientPath: string, args: string[]): Promise<string> {
    const [path, shell] = await Promise.all([this.sessionClient(clientPath), this.shell()]);
    return sessionCommandLine(shell, [path, ...args]);
  }

  /** Why: schtasks through the session's shell; `repeat` only for forms that are safe to repeat. */
  protected async schtasks(argv: string[], repeat = false): Promise<{ stdout: string; stderr: string }> {
    const shell = await this.shell();
    const once = () =>
      runSchtasks(async (a) => {
        const r = await this.exec(sessionCommandLine(shell, a));
        return { code: r.code, stdout: await this.decode(r.stdout), stderr: await this.decode(r.stderr) };
      }, argv);
    return repeat ? this.again(once) : once();
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

  async readFile(path: string, opts?: { once?: boolean }): Promise<Buffer | null> {
    const read = () => this.withSftp((c, s) => sftpRead(c, s, path, this.limits.requestMs));
    return opts?.once ? read() : this.again(read);
  }

  async removeFile(path: string): Promise<void> {
    await this.again(() => this.withSftp((c, s) => sftpRemove(c, s, path, this.limits.requestMs)));
  }

  async protectFolder(path: string): Promise<void> {
    // The shell probe (an exec the icacls line needs) goes out beside the folder's creation, two
    // round trips fewer before a server's first cycle; a failed folder is still the error reported.
    const shellP = this.shell();
    shellP.catch(() => {});
    // Created over SFTP first (icacls needs it to exist), then the explicit ACL.
    await this.again(() => this.withSftp((c, sftp) => sftpMakeFolder(c, sftp, path, this.limits.requestMs)));
    const shell = await shellP;
    const r = await this.again(() => this.exec(sessionCommandLine(shell, protectFolderArgv(path))));
    if (r.code !== 0)
      throw new TargetError(
        'access-denied',
        aclFailureMessage(
          this.server,
          path,
          r.code,
          await this.decode(r.stderr.length > 0 ? r.stderr : r.stdout),
        ),
      );
  }

  /** Why: the pipe is local to the target; `wsus-client relay` bridges it to this channel. */
  async openPipe(pipe: string, clientPath: string, opts?: { waitMs?: number }): Promise<Duplex> {
    const wait = Math.ceil((opts?.waitMs ?? 0) / 1000);
    const line = await this.clientLine(clientPath, [
      'relay',
      '--pipe',
      pipe,
      ...(wait > 0 ? ['--wait', String(wait)] : []),
    ]);
    return this.again(async () => openChannel(await this.ctx(), line, this.limits.requestMs));
  }

  async clientStatus(clientPath: string): Promise<ClientStatus> {
    const line = await this.clientLine(clientPath, ['status']);
    const raw = await this.again(() => this.exec(line));
    // The client (Node) writes UTF-8 whatever the console code page; its errors may come from the shell.
    return parseClientStatus(this.server, clientPath, {
      code: raw.code,
      stdout: raw.stdout.toString('utf8'),
      stderr: await this.decode(raw.stderr),
    });
  }

  /**
   * Why: a reboot wait probes every host up to once a second: a TCP connect to the SSH port is all it
   * decides on, and a ping process per poll of every rebooting server swamped a fleet's controller.
   */
  async probe(): Promise<{ transport: boolean }> {
    return { transport: await tcpProbe(this.ep.host, this.ep.port) };
  }

  async close(): Promise<void> {
    // A handshake in flight would otherwise land after this close and never be closed.
    await this.connecting?.catch(() => {});
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
