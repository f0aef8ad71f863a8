// TargetAccess over WinRM (WS-Management's text shell, MS-WSMV) to a stock Windows Server: the
// same schtasks lines, client commands and folder ACL as the ssh transport sends through cmd.exe
// (docs/target-commands.md), files through the shell's PowerShell file scripts, and the pipe
// through `wsus-client relay` as a long-running command. Every request is bounded; a step that is
// safe to repeat tries again on a new connection and shell after a drop (docs/winrm.md).
import type { Duplex } from 'node:stream';
import { type ClientStatus, type ShellInfo, type TargetAccess, TargetError } from '../connector/ports.ts';
import { tcpProbe } from '../local/reachability.ts';
import { formatDuration } from '../model/duration.ts';
import { aclFailureMessage } from '../remote-common/acl-failure.ts';
import { parseClientStatus } from '../remote-common/client-status-output.ts';
import { retryUnreachable } from '../remote-common/retry.ts';
import { needsSessionCopy, stageSessionClient } from '../remote-common/session-client.ts';
import { ShellTaskTarget } from '../remote-common/shell-task-target.ts';
import { protectFolderArgv } from '../windows-common/folder-acl.ts';
import { toCmdLine } from '../windows-common/schtasks-command.ts';
import { runSchtasks } from '../windows-common/schtasks-run.ts';
import { ConnectionPool } from './connection-pool.ts';
import { shellFileOp, shellRead, shellWrite } from './shell-files.ts';
import type { WinRmEndpoint } from './winrm-connection.ts';
import { DEFAULT_WINRM_LIMITS, type WinRmLimits } from './winrm-limits.ts';
import { SHELL_CODE_PAGE } from './wsman-envelope.ts';
import { type CommandResult, runInShell, WsmanShell } from './wsman-shell.ts';
import { commandStream } from './wsman-stream.ts';

export interface WinRmTargetOptions {
  server: string;
  endpoint: WinRmEndpoint;
  /** A copy of a UNC client this controller can read, staged for the in-session commands. */
  clientFile?: string | undefined;
  limits?: Partial<WinRmLimits>;
}

export class WinRmTarget extends ShellTaskTarget implements TargetAccess {
  readonly server: string;
  readonly limits: WinRmLimits;
  private readonly ep: WinRmEndpoint;
  private readonly clientFile: string | undefined;
  private readonly pool: ConnectionPool;
  private connected = false;

  constructor(opts: WinRmTargetOptions) {
    super();
    this.server = opts.server;
    this.ep = opts.endpoint;
    this.clientFile = opts.clientFile;
    this.limits = { ...DEFAULT_WINRM_LIMITS, ...opts.limits };
    this.pool = new ConnectionPool(this.ep, this.limits.connectMs, this.limits.maxConnections);
  }

  /** Why: the logon and a shell; the first of a run waits for a host that still refuses. */
  async connect(onWait?: (text: string) => void): Promise<void> {
    const once = async () => {
      await this.pool.warm();
      await this.shell();
    };
    if (this.connected) return this.again(once);
    let said = false;
    await retryUnreachable(this.limits.connectWaitMs, once, (err) => {
      if (said) return;
      said = true;
      const upTo = formatDuration(this.limits.connectWaitMs);
      onWait?.(`${err.message}; waiting up to ${upTo} for it to accept connections (--connect-timeout)`);
    });
    this.connected = true;
  }

  private shellP: Promise<WsmanShell> | null = null;

  /** Why: one shell per target for all its commands, made again when it is lost. */
  private shell(): Promise<WsmanShell> {
    if (!this.shellP) {
      const ctx = {
        endpoint: this.ep.url.href,
        maxEnvelopeBytes: this.limits.maxEnvelopeBytes,
        operationTimeoutS: this.limits.operationTimeoutS,
      };
      const p = WsmanShell.open((xml, ms) => this.pool.post(xml, ms), ctx, this.limits, this.server);
      this.shellP = p;
      p.catch(() => {
        if (this.shellP === p) this.shellP = null;
      });
    }
    return this.shellP;
  }

  /** Why: a drop or a lost shell (a reboot) means the next step starts on fresh ones. */
  private forget(): void {
    this.pool.closeAll();
    this.shellP = null;
  }

  private again<T>(step: () => Promise<T>): Promise<T> {
    return retryUnreachable(this.limits.retryWindowMs, step);
  }

  /** Why: one command line to its end with this stdin, within the command bound (plus allowance). */
  private async run(line: string, stdin: Buffer = Buffer.alloc(0), allowanceMs = 0): Promise<CommandResult> {
    try {
      return await runInShell(
        await this.shell(),
        line,
        stdin,
        this.limits.commandMs + allowanceMs,
        this.server,
      );
    } catch (err) {
      if (err instanceof TargetError && err.kind === 'unreachable') this.forget();
      throw err;
    }
  }

  private readonly files = (line: string, stdin: Buffer, allowanceMs: number) =>
    this.run(line, stdin, allowanceMs);

  /** Why: schtasks' output arrives in UTF-8 (the shell runs in code page 65001). */
  protected schtasks(argv: string[], repeat = false): Promise<{ stdout: string; stderr: string }> {
    const once = () =>
      runSchtasks(async (a) => {
        const r = await this.run(toCmdLine(a));
        return { code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
      }, argv);
    return repeat ? this.again(once) : once();
  }

  /** Why: preflight reads what every line runs in: WinRS's cmd.exe, in the code page the shell was opened with. */
  async shellInfo(): Promise<ShellInfo> {
    await this.again(() => this.shell());
    const source = `WinRS shell opened with WINRS_CODEPAGE ${SHELL_CODE_PAGE}`;
    return { shell: 'cmd.exe', drivable: true, codePage: SHELL_CODE_PAGE, decoded: true, source };
  }

  async writeFile(path: string, data: Buffer | string): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    await this.again(() => shellWrite(this.files, this.server, path, bytes));
  }

  async readFile(path: string, opts?: { once?: boolean }): Promise<Buffer | null> {
    const read = () => shellRead(this.files, this.server, path);
    return opts?.once ? read() : this.again(read);
  }

  async removeFile(path: string): Promise<void> {
    await this.again(() => shellFileOp(this.files, this.server, 'remove', path));
  }

  async protectFolder(path: string): Promise<void> {
    await this.again(() => shellFileOp(this.files, this.server, 'mkdir', path));
    const r = await this.again(() => this.run(toCmdLine(protectFolderArgv(path))));
    if (r.code !== 0)
      throw new TargetError(
        'access-denied',
        aclFailureMessage(
          this.server,
          path,
          r.code,
          (r.stderr.length > 0 ? r.stderr : r.stdout).toString('utf8'),
        ),
      );
  }

  private sessionClientP: Promise<string> | null = null;

  /** Why: an NTLM session has no network credentials (the double hop): a share client is copied. */
  private sessionClient(clientPath: string): Promise<string> {
    if (!needsSessionCopy(clientPath)) return Promise.resolve(clientPath);
    if (!this.sessionClientP) {
      this.sessionClientP = stageSessionClient(this, this.server, clientPath, this.clientFile);
      this.sessionClientP.catch(() => {
        this.sessionClientP = null;
      });
    }
    return this.sessionClientP;
  }

  /** Why: the pipe is local to the target; `wsus-client relay`'s stdin/stdout carry it. */
  async openPipe(pipe: string, clientPath: string, opts?: { waitMs?: number }): Promise<Duplex> {
    // As over ssh: a relay started before its client is up waits for the pipe instead of failing.
    const wait = Math.ceil((opts?.waitMs ?? 0) / 1000);
    const line = toCmdLine([
      await this.sessionClient(clientPath),
      'relay',
      '--pipe',
      pipe,
      ...(wait > 0 ? ['--wait', String(wait)] : []),
    ]);
    return this.again(async () => {
      const shell = await this.shell();
      try {
        const id = await shell.start(line);
        return commandStream(shell, id, () => {});
      } catch (err) {
        if (err instanceof TargetError && err.kind === 'unreachable') this.forget();
        throw err;
      }
    });
  }

  async clientStatus(clientPath: string): Promise<ClientStatus> {
    const line = toCmdLine([await this.sessionClient(clientPath), 'status']);
    const raw = await this.again(() => this.run(line));
    return parseClientStatus(this.server, clientPath, {
      code: raw.code,
      stdout: raw.stdout.toString('utf8'),
      stderr: raw.stderr.toString('utf8'),
    });
  }

  /** Why: the reboot wait decides on whether the listener's port accepts a connection. */
  async probe(): Promise<{ transport: boolean }> {
    const port = Number(this.ep.url.port || (this.ep.url.protocol === 'https:' ? 443 : 80));
    return { transport: await tcpProbe(this.ep.url.hostname, port) };
  }

  async close(): Promise<void> {
    const shell = await this.shellP?.catch(() => null);
    this.shellP = null;
    // Deleting the shell frees the user's shell quota at once; a server that does not answer
    // reclaims it after its IdleTimeOut, so the run does not wait more than 2 s for it.
    if (shell) {
      let timer: NodeJS.Timeout | undefined;
      const cap = new Promise<void>((r) => {
        timer = setTimeout(r, 2000);
      });
      await Promise.race([shell.close(), cap]);
      clearTimeout(timer);
    }
    this.pool.closeAll();
  }
}
