import * as fsp from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import { win32 } from 'node:path';
import type { Duplex } from 'node:stream';
import { type TargetAccess, TargetError } from '../connector/ports.ts';
import { createExec, type ExecFn, type ExecResult } from '../local/exec.ts';
import { ping, tcpProbe } from '../local/reachability.ts';
import {
  createTaskArgv,
  deleteTaskArgv,
  endTaskArgv,
  listTasksArgv,
  queryTaskArgv,
  redactArgv,
  runTaskArgv,
  type SchtasksTarget,
  toCmdLine,
} from '../windows-common/schtasks-command.ts';
import { parseSchtasksQuery } from '../windows-common/schtasks-query.ts';
import { runSchtasks } from '../windows-common/schtasks-run.ts';
import { taskXmlFile } from '../windows-common/task-xml.ts';
import type { WindowsCredentials } from './credentials.ts';
import { connectIpc } from './smb-connect.ts';
import { runStatusTask } from './status-task.ts';
import { remotePipePath, targetPathToUnc } from './unc-path.ts';

/** The file operations the adapter needs, injectable for tests. */
export interface UncFs {
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, data: Buffer | string): Promise<void>;
  mkdir(path: string, opts: { recursive: true }): Promise<unknown>;
  rm(path: string, opts: { force: true; recursive?: boolean }): Promise<void>;
  stat(path: string): Promise<unknown>;
}

export interface WindowsTargetOptions {
  server: string;
  credentials?: WindowsCredentials | null;
  /** %SystemRoot% on the target, for the ADMIN$ mapping (default C:\Windows). */
  systemRoot?: string;
  exec?: ExecFn;
  fs?: UncFs;
  connectPipe?: (path: string) => Duplex;
  tcpProbe?: (host: string, port: number) => Promise<boolean>;
  platform?: NodeJS.Platform;
  /** Receives every command line run, with secrets replaced by ***. */
  log?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  /** The controller's clock (tests inject one). */
  now?: () => number;
  /** schtasks / net timeout (default 60 s). */
  commandTimeoutMs?: number;
  /** How long `clientStatus` waits for its one-shot task (default 120 s). */
  statusTimeoutMs?: number;
  pipeConnectTimeoutMs?: number;
}

export { STATUS_TASK_NAME } from './status-task.ts';

const SMB_PORT = 445;

/**
 * Why: Kerberos needs a name that maps to an SPN; a target given as an IP address is
 * authenticated with NTLM only (docs/windows.md#smb-names-kerberos-and-signing-windows-transport), which hardened domains refuse.
 */
export function ipTargetWarning(server: string): string | null {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(server)) return null;
  return `warning: ${server} is an IP address: Windows authenticates to it with NTLM only, not Kerberos; use its DNS name where NTLM is restricted`;
}

function fsError(server: string, what: string, err: unknown): TargetError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const msg = `${what} on ${server}: ${(err as Error).message}`;
  if (code === 'EACCES' || code === 'EPERM') return new TargetError('access-denied', msg);
  if (['ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNREFUSED', 'EBADF'].includes(code)) {
    return new TargetError('unreachable', msg);
  }
  return new TargetError('command-failed', msg);
}

/** Why: the connector's transport for `--transport windows` (the default on win32). */
export function createWindowsTargetAccess(opts: WindowsTargetOptions): TargetAccess {
  const server = opts.server;
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(server)) {
    throw new Error(`server name "${server}" is not a host name or IPv4 address`);
  }
  const exec = opts.exec ?? createExec();
  const fs: UncFs = opts.fs ?? fsp;
  const platform = opts.platform ?? process.platform;
  const log = opts.log ?? (() => {});
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = opts.now ?? Date.now;
  const systemRoot = opts.systemRoot ?? 'C:\\Windows';
  const timeoutMs = opts.commandTimeoutMs ?? 60_000;
  const creds = opts.credentials ?? null;
  const target: SchtasksTarget = { server, ...(creds ? { user: creds.user } : {}) };
  const unc = (p: string) => targetPathToUnc(server, p, systemRoot);
  let ipcConnected = false;
  const ipWarning = ipTargetWarning(server);

  const run = async (argv: string[]): Promise<ExecResult> => {
    // The password is appended here, after the argv was built, and only the redacted form is logged.
    const full = creds && argv[0] === 'schtasks' ? withPassword(argv, creds.password) : argv;
    log(describeArgv(redactArgv(full)));
    const [file, ...args] = full;
    return exec(file === 'schtasks' ? 'schtasks.exe' : (file as string), args, { timeoutMs });
  };

  const schtasks = async (argv: string[]): Promise<ExecResult> => {
    let last: ExecResult | null = null;
    await runSchtasks(
      async (a) => {
        const r = await run(a);
        if (r.error) throw new TargetError('command-failed', `${a[0]} ${a[1]} on ${server}: ${r.error}`);
        if (a === argv) last = r;
        return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
      },
      argv,
      listTasksArgv(target),
    );
    return last as unknown as ExecResult;
  };

  const access: TargetAccess = {
    server,
    async connect() {
      if (ipWarning) log(ipWarning);
      if (creds && !ipcConnected) {
        await connectIpc({ exec, server, credentials: creds, timeoutMs, log });
        ipcConnected = true;
      }
      try {
        await fs.stat(`\\\\${server}\\ADMIN$`);
      } catch (err) {
        throw fsError(server, 'cannot open \\\\' + server + '\\ADMIN$', err);
      }
    },
    async writeFile(path, data) {
      const p = unc(path);
      try {
        await fs.mkdir(win32.dirname(p), { recursive: true });
        await fs.writeFile(p, data);
      } catch (err) {
        throw fsError(server, `cannot write ${path}`, err);
      }
    },
    async readFile(path) {
      try {
        return await fs.readFile(unc(path));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw fsError(server, `cannot read ${path}`, err);
      }
    },
    async removeFile(path) {
      try {
        await fs.rm(unc(path), { force: true });
      } catch (err) {
        throw fsError(server, `cannot remove ${path}`, err);
      }
    },
    async createTask(name, task, overwrite) {
      const xmlPath = task.xmlPath;
      await access.writeFile(xmlPath, taskXmlFile(task));
      // schtasks.exe reads the /XML file itself, here, so it gets the share path of the staged file.
      try {
        await schtasks(createTaskArgv(name, unc(xmlPath), overwrite, target));
      } catch (err) {
        if (err instanceof TargetError && err.kind === 'task-not-found') {
          throw new TargetError(
            'command-failed',
            `task XML ${xmlPath} not found: ${err.message}`,
            err.exitCode,
          );
        }
        throw err;
      }
    },
    async runTask(name) {
      await schtasks(runTaskArgv(name, target));
    },
    async queryTask(name) {
      let r: ExecResult;
      try {
        r = await schtasks(queryTaskArgv(name, target));
      } catch (err) {
        if (err instanceof TargetError && err.kind === 'task-not-found') return null;
        throw err;
      }
      const want = name.startsWith('\\') ? name : `\\${name}`;
      // A task with several triggers prints one row per trigger; the first is enough.
      return parseSchtasksQuery(r.stdout).find((t) => t.name.toLowerCase() === want.toLowerCase()) ?? null;
    },
    async endTask(name) {
      await schtasks(endTaskArgv(name, target));
    },
    async deleteTask(name) {
      await schtasks(deleteTaskArgv(name, target));
    },
    async openPipe(pipe) {
      const path = remotePipePath(server, pipe);
      const socket = (opts.connectPipe ?? ((p: string) => netConnect(p)))(path);
      const limit = opts.pipeConnectTimeoutMs ?? 15_000;
      return new Promise<Duplex>((resolve, reject) => {
        const timer = setTimeout(() => {
          socket.destroy();
          reject(
            new TargetError('unreachable', `pipe ${path}: no connection within ${Math.round(limit / 1000)}s`),
          );
        }, limit);
        socket.once('connect', () => {
          clearTimeout(timer);
          socket.removeAllListeners('error');
          resolve(socket);
        });
        socket.once('error', (err: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          const kind = err.code === 'EACCES' || err.code === 'EPERM' ? 'access-denied' : 'unreachable';
          reject(new TargetError(kind, `pipe ${path}: ${err.message}`));
        });
      });
    },
    async clientStatus(clientPath) {
      return runStatusTask(
        access,
        { server, systemRoot, timeoutMs: opts.statusTimeoutMs ?? 120_000, now, sleep },
        clientPath,
      );
    },
    async probe() {
      const [icmp, transport] = await Promise.all([
        ping(exec, server, platform).catch(() => false),
        (opts.tcpProbe ?? tcpProbe)(server, SMB_PORT).catch(() => false),
      ]);
      return { ping: icmp, transport };
    },
    async shellInfo() {
      // No shell on the target: schtasks.exe runs here with /S, and createExec reads it as UTF-8.
      return {
        shell: 'none (schtasks.exe /S runs on this controller)',
        drivable: true,
        codePage: null,
        decoded: false,
        source: 'output read as UTF-8',
        fix: "nothing to change on the server: schtasks' localized messages may show wrong letters in the job output; the run decides from numbers only",
      };
    },
    async close() {
      if (creds && ipcConnected) {
        ipcConnected = false;
        const argv = ['net', 'use', `\\\\${server}\\IPC$`, '/delete', '/y'];
        log(describeArgv(argv));
        await exec('net.exe', argv.slice(1), { timeoutMs });
      }
    },
  };

  return access;
}

/**
 * Why: /P goes right after /U, the only place schtasks accepts it (docs/windows-facts.md#schtasks-syntax).
 */
function withPassword(argv: string[], password: string): string[] {
  const i = argv.findIndex((a) => /^\/U$/i.test(a));
  if (i < 0) return argv;
  return [...argv.slice(0, i + 2), '/P', password, ...argv.slice(i + 2)];
}

/** Why: a loggable command line even for arguments toCmdLine refuses (it is only for reading). */
function describeArgv(argv: string[]): string {
  try {
    return toCmdLine(argv);
  } catch {
    return JSON.stringify(argv);
  }
}
