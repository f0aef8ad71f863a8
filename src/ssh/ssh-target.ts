// TargetAccess over SSH to Windows OpenSSH Server (or a lab host): schtasks and the client through
// cmd.exe command lines (docs/target-commands.md), files over SFTP, the pipe through
// `wsus-client relay`. Host keys are always verified against known_hosts.
import { readFile as readLocal } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import ssh2, { type ClientChannel, type SFTPWrapper } from 'ssh2';

// ssh2 is CommonJS: its classes come from the default export under ESM.
const { Client } = ssh2;

import { type ClientStatus, type TargetAccess, TargetError, type TaskInfo } from '../connector/ports.ts';
import { createExec } from '../local/exec.ts';
import { ping, tcpProbe } from '../local/reachability.ts';
import type { TaskDefinition } from '../model/task-definition.ts';
import { clientStatusSchema } from '../protocol/client-status.ts';
import {
  createTaskArgv,
  deleteTaskArgv,
  endTaskArgv,
  queryTaskArgv,
  runTaskArgv,
} from '../windows-common/schtasks-command.ts';
import { parseSchtasksQuery } from '../windows-common/schtasks-query.ts';
import { runSchtasks } from '../windows-common/schtasks-run.ts';
import { taskXmlFile } from '../windows-common/task-xml.ts';
import { handshakeTurn } from './handshake-gate.ts';
import type { Inventory } from './inventory.ts';
import { fingerprint, verifyHostKey } from './known-hosts.ts';
import { sftpParents, toSftpPath } from './paths.ts';
import { needsSessionCopy, stageSessionClient } from './session-client.ts';
import {
  decodeSessionText,
  probeSession,
  type RawResult,
  type SessionFacts,
  sessionCommandLine,
} from './session-shell.ts';
import { SFTP_TIMEOUT_MS, settledSftpCall } from './sftp-call.ts';
import { classifyConnectError } from './ssh-errors.ts';

export interface SshEndpoint {
  server: string;
  host: string;
  port: number;
  user: string;
  identityPath: string;
  /** known_hosts text, or a file to read it from. */
  knownHosts?: string;
  knownHostsPath?: string;
  /** A controller-readable copy of a client on a share, staged for in-session commands. */
  clientFile?: string;
}

export type SshTargetOptions =
  | { server: string; inventory: Inventory }
  | {
      server: string;
      host: string;
      port?: number;
      user?: string | undefined;
      identityPath?: string | undefined;
      knownHostsPath?: string | undefined;
      clientFile?: string | undefined;
    };

const EXEC_TIMEOUT_MS = 120_000;

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
      ...(h.clientFile ? { clientFile: h.clientFile } : {}),
    };
  }
  return {
    server: o.server,
    host: o.host,
    port: o.port ?? 22,
    user: o.user ?? process.env.USER ?? 'Administrator',
    identityPath: o.identityPath ?? join(homedir(), '.ssh', 'id_ed25519'),
    knownHostsPath: o.knownHostsPath ?? join(homedir(), '.ssh', 'known_hosts'),
    ...(o.clientFile ? { clientFile: o.clientFile } : {}),
  };
}

export class SshTarget implements TargetAccess {
  readonly server: string;
  private readonly ep: SshEndpoint;
  private conn: InstanceType<typeof Client> | null = null;
  private sftpP: Promise<SFTPWrapper> | null = null;
  private connecting: Promise<void> | null = null;
  private factsP: Promise<SessionFacts> | null = null;
  private sessionClientP: Promise<string> | null = null;

  constructor(opts: SshTargetOptions) {
    this.server = opts.server;
    this.ep = endpointOf(opts);
  }

  /**
   * Why: the lease renewer and the orchestrator both reconnect after a reboot; two handshakes at
   * once left one connection orphaned (never closed, its keepalive holding the process open after
   * the run). Concurrent callers share the one handshake in flight.
   */
  connect(): Promise<void> {
    if (this.conn) return Promise.resolve();
    this.connecting ??= this.handshake().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /** Why: the handshake, with the host key checked before any credential is used. */
  private async handshake(): Promise<void> {
    const ep = this.ep;
    let knownHosts = ep.knownHosts ?? '';
    if (ep.knownHostsPath) {
      knownHosts += `\n${await readLocal(ep.knownHostsPath, 'utf8').catch(() => '')}`;
    }
    let privateKey: Buffer;
    try {
      privateKey = await readLocal(ep.identityPath);
    } catch (err) {
      throw new TargetError(
        'auth',
        `${ep.server}: cannot read the identity file ${ep.identityPath}: ${(err as Error).message}`,
      );
    }
    let hostKeyProblem: string | null = null;
    const conn = new Client();
    const release = await handshakeTurn();
    await new Promise<void>((resolve, reject) => {
      conn.once('ready', () => resolve());
      // `on`, not `once`: a failed handshake can emit a second error (a timeout, then "Connection
      // lost before handshake"), and an error event without a listener ends the whole process.
      conn.on('error', (err) => reject(classifyConnectError(err, ep.server, hostKeyProblem)));
      conn.connect({
        host: ep.host,
        port: ep.port,
        username: ep.user,
        privateKey,
        readyTimeout: 20_000,
        keepaliveInterval: 10_000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          const verdict = verifyHostKey(knownHosts, ep.host, ep.port, key);
          if (verdict === 'match') return true;
          const fp = fingerprint(key);
          hostKeyProblem =
            verdict === 'revoked'
              ? `${ep.server}: the host key ${fp} is marked @revoked in known_hosts`
              : verdict === 'mismatch'
                ? `${ep.server}: HOST KEY MISMATCH for ${ep.host}:${ep.port}: it presented ${fp}, which is not the key in known_hosts`
                : `${ep.server}: no known_hosts entry for ${ep.host}:${ep.port} (it presented ${fp}); add the host key before connecting`;
          return false;
        },
      });
    })
      .catch((err) => {
        conn.end();
        throw err;
      })
      .finally(release);
    conn.on('error', () => {});
    conn.on('close', () => {
      if (this.conn === conn) {
        this.conn = null;
        this.sftpP = null;
      }
    });
    this.conn = conn;
  }

  /** Why: ssh2 throws "Not connected" synchronously when the socket died before 'close' fired. */
  private guard<T>(conn: InstanceType<typeof Client>, what: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (this.conn === conn) {
        this.conn = null;
        this.sftpP = null;
      }
      throw new TargetError('unreachable', `${this.server}: ${what}: ${(err as Error).message}`);
    }
  }

  private async client(): Promise<InstanceType<typeof Client>> {
    if (!this.conn) await this.connect();
    if (!this.conn) throw new TargetError('unreachable', `${this.server}: not connected`);
    return this.conn;
  }

  /** Why: the shell and code page, probed once; every command line is built for that shell. */
  private facts(): Promise<SessionFacts> {
    if (!this.factsP) {
      this.factsP = probeSession((line) => this.exec(line), this.server);
      this.factsP.catch(() => {
        this.factsP = null;
      });
    }
    return this.factsP;
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
    const [path, facts] = await Promise.all([this.sessionClient(clientPath), this.facts()]);
    return sessionCommandLine(facts.shell, [path, ...args]);
  }

  /**
   * Why: one exec request, its output and exit code; a dropped session is 'unreachable'. Standard
   * input is closed at once, so a command that prompts (schtasks' Y/N) reads end of input instead
   * of waiting for the timeout.
   */
  private async exec(cmd: string): Promise<RawResult> {
    const conn = await this.client();
    return new Promise((resolve, reject) => {
      const guarded = (f: () => void) => {
        try {
          this.guard(conn, `"${cmd}"`, f);
        } catch (err) {
          reject(err);
        }
      };
      // The channel open itself can go unanswered on a dying session: bounded like an SFTP call.
      let gaveUp = false;
      const opening = setTimeout(() => {
        gaveUp = true;
        reject(
          new TargetError(
            'unreachable',
            `${this.server}: no session for "${cmd}" in ${SFTP_TIMEOUT_MS / 1000} s`,
          ),
        );
      }, SFTP_TIMEOUT_MS);
      guarded(() =>
        conn.exec(cmd, (err, ch) => {
          clearTimeout(opening);
          if (gaveUp) return ch?.close();
          if (err)
            return reject(new TargetError('unreachable', `${this.server}: exec failed: ${err.message}`));
          const out: Buffer[] = [];
          const errs: Buffer[] = [];
          let code: number | null = null;
          const timer = setTimeout(() => {
            ch.close();
            reject(
              new TargetError(
                'command-failed',
                `${this.server}: "${cmd}" did not finish in ${EXEC_TIMEOUT_MS / 1000} s`,
              ),
            );
          }, EXEC_TIMEOUT_MS);
          ch.end();
          ch.on('data', (c: Buffer) => out.push(c));
          ch.stderr.on('data', (c: Buffer) => errs.push(c));
          ch.on('exit', (c: number | null) => {
            code = c;
          });
          ch.on('close', () => {
            clearTimeout(timer);
            if (code === null && !this.conn) {
              reject(
                new TargetError('unreachable', `${this.server}: the connection dropped during "${cmd}"`),
              );
              return;
            }
            resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(errs) });
          });
        }),
      );
    });
  }

  private async schtasks(argv: string[]): Promise<{ stdout: string; stderr: string }> {
    const facts = await this.facts();
    return runSchtasks(async (a) => {
      const r = await this.exec(sessionCommandLine(facts.shell, a));
      return {
        code: r.code,
        stdout: decodeSessionText(r.stdout, facts),
        stderr: decodeSessionText(r.stderr, facts),
      };
    }, argv);
  }

  private sftp(): Promise<SFTPWrapper> {
    if (!this.sftpP) {
      this.sftpP = this.client().then(
        (conn) =>
          new Promise<SFTPWrapper>((resolve, reject) =>
            conn.sftp((err, s) =>
              err
                ? reject(new TargetError('unreachable', `${this.server}: SFTP: ${err.message}`))
                : resolve(s),
            ),
          ),
      );
      this.sftpP.catch(() => {
        this.sftpP = null;
      });
    }
    return this.sftpP;
  }

  /** Why: every SFTP call settles, even when ssh2 drops its callback (see sftp-call.ts). */
  private async sftpCall<T>(
    what: string,
    call: (sftp: SFTPWrapper, settle: (result: () => T) => void) => void,
  ): Promise<T> {
    const sftp = await this.sftp();
    const conn = this.conn;
    if (!conn) throw new TargetError('unreachable', `${this.server}: the connection dropped before ${what}`);
    return settledSftpCall({ server: this.server, conn, sftp, what, call }, () => {
      if (this.conn === conn) this.sftpP = null;
    });
  }

  async writeFile(path: string, data: Buffer | string): Promise<void> {
    const p = toSftpPath(path);
    for (const dir of sftpParents(p)) {
      await this.sftpCall(`mkdir ${dir}`, (sftp, settle) => sftp.mkdir(dir, () => settle(() => undefined)));
    }
    await this.sftpCall(`writing ${path}`, (sftp, settle) =>
      sftp.writeFile(p, data, (err) =>
        settle(() => {
          if (err)
            throw new TargetError('access-denied', `${this.server}: cannot write ${path}: ${err.message}`);
        }),
      ),
    );
  }

  async readFile(path: string): Promise<Buffer | null> {
    return this.sftpCall(`reading ${path}`, (sftp, settle) =>
      sftp.readFile(toSftpPath(path), (err: (Error & { code?: number }) | null | undefined, data: Buffer) =>
        settle(() => {
          if (!err) return data;
          // SFTP status 2 = SSH_FX_NO_SUCH_FILE.
          if (err.code === 2) return null;
          throw new TargetError('access-denied', `${this.server}: cannot read ${path}: ${err.message}`);
        }),
      ),
    );
  }

  async removeFile(path: string): Promise<void> {
    await this.sftpCall(`removing ${path}`, (sftp, settle) =>
      sftp.unlink(toSftpPath(path), (err: (Error & { code?: number }) | null | undefined) =>
        settle(() => {
          if (err && err.code !== 2)
            throw new TargetError('access-denied', `${this.server}: cannot remove ${path}: ${err.message}`);
        }),
      ),
    );
  }

  async createTask(name: string, task: TaskDefinition, overwrite: boolean): Promise<void> {
    await this.writeFile(task.xmlPath, taskXmlFile(task));
    await this.schtasks(createTaskArgv(name, task.xmlPath, overwrite));
  }

  async runTask(name: string): Promise<void> {
    await this.schtasks(runTaskArgv(name));
  }

  async queryTask(name: string): Promise<TaskInfo | null> {
    try {
      const r = await this.schtasks(queryTaskArgv(name));
      return parseSchtasksQuery(r.stdout)[0] ?? null;
    } catch (err) {
      if (err instanceof TargetError && err.kind === 'task-not-found') return null;
      throw err;
    }
  }

  async endTask(name: string): Promise<void> {
    await this.schtasks(endTaskArgv(name));
  }

  async deleteTask(name: string): Promise<void> {
    await this.schtasks(deleteTaskArgv(name));
  }

  /** Why: the pipe is local to the target; `wsus-client relay` bridges it to this channel. */
  async openPipe(pipe: string, clientPath: string): Promise<Duplex> {
    const line = await this.clientLine(clientPath, ['relay', '--pipe', pipe]);
    const conn = await this.client();
    return new Promise((resolve, reject) => {
      try {
        this.guard(conn, 'relay', () =>
          conn.exec(line, (err, ch: ClientChannel) =>
            err
              ? reject(new TargetError('unreachable', `${this.server}: relay: ${err.message}`))
              : resolve(ch),
          ),
        );
      } catch (err) {
        reject(err);
      }
    });
  }

  async clientStatus(clientPath: string): Promise<ClientStatus> {
    const raw = await this.exec(await this.clientLine(clientPath, ['status']));
    // The client (Node) writes UTF-8 whatever the console code page; its errors may come from the shell.
    const facts = await this.facts();
    const r = {
      code: raw.code,
      stdout: raw.stdout.toString('utf8'),
      stderr: decodeSessionText(raw.stderr, facts),
    };
    if (r.code !== 0) {
      const msg = (r.stderr || r.stdout).trim().split(/\r?\n/)[0] ?? '';
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

  /** Why: a reboot wait probes every host twice a second; a ping process each time starves a fleet. */
  async probe(): Promise<{ ping: boolean; transport: boolean }> {
    // The ICMP half only matters once the port is closed (down vs. filtered); an open port implies it.
    if (await tcpProbe(this.ep.host, this.ep.port)) return { ping: true, transport: true };
    return { ping: await ping(createExec(), this.ep.host).catch(() => false), transport: false };
  }

  async close(): Promise<void> {
    // A handshake in flight would otherwise land after this close and never be closed.
    await this.connecting?.catch(() => {});
    const conn = this.conn;
    this.conn = null;
    this.sftpP = null;
    if (!conn) return;
    await new Promise<void>((resolve) => {
      conn.once('close', () => resolve());
      conn.end();
      setTimeout(resolve, 2000).unref();
    });
  }
}
