// The `windows` TargetAccess: the connector runs on Windows and reaches the target with the
// tools Windows already has — schtasks.exe /S for the task, the administrative shares for files,
// \\server\pipe\NAME over SMB for the log, ping + TCP 445 for reachability. By default everything
// runs as the connector's own Windows identity; explicit credentials are opt-in (credentials.ts).
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import { win32 } from 'node:path';
import type { Duplex } from 'node:stream';
import { type ClientStatus, type TargetAccess, TargetError, type TaskInfo } from '../connector/ports.ts';
import { createExec, type ExecFn, type ExecResult } from '../local/exec.ts';
import { ping, tcpProbe } from '../local/reachability.ts';
import type { TaskDefinition } from '../model/task-definition.ts';
import { taskPhase } from '../model/task-result.ts';
import { clientStatusSchema } from '../protocol/client-status.ts';
import {
  createTaskArgv,
  deleteTaskArgv,
  endTaskArgv,
  queryTaskArgv,
  redactArgv,
  runTaskArgv,
  type SchtasksTarget,
  toCmdLine,
} from '../windows-common/schtasks-command.ts';
import { classifySchtasksError, parseSchtasksQuery } from '../windows-common/schtasks-query.ts';
import { taskXmlFile } from '../windows-common/task-xml.ts';
import type { WindowsCredentials } from './credentials.ts';
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
  /** schtasks / net timeout (default 60 s). */
  commandTimeoutMs?: number;
  /** How long `clientStatus` waits for its one-shot task (default 120 s). */
  statusTimeoutMs?: number;
  pipeConnectTimeoutMs?: number;
}

export const STATUS_TASK_NAME = '\\WsusConnector\\Status';
const SMB_PORT = 445;

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
  const systemRoot = opts.systemRoot ?? 'C:\\Windows';
  const timeoutMs = opts.commandTimeoutMs ?? 60_000;
  const creds = opts.credentials ?? null;
  const target: SchtasksTarget = { server, ...(creds ? { user: creds.user } : {}) };
  const unc = (p: string) => targetPathToUnc(server, p, systemRoot);
  let ipcConnected = false;

  const run = async (argv: string[]): Promise<ExecResult> => {
    // The password is appended here, after the argv was built, and only the redacted form is logged.
    const full = creds && argv[0] === 'schtasks' ? withPassword(argv, creds.password) : argv;
    log(describeArgv(redactArgv(full)));
    const [file, ...args] = full;
    return exec(file === 'schtasks' ? 'schtasks.exe' : (file as string), args, { timeoutMs });
  };

  const schtasks = async (argv: string[]): Promise<ExecResult> => {
    const r = await run(argv);
    if (r.error) throw new TargetError('command-failed', `${argv[0]} ${argv[1]} on ${server}: ${r.error}`);
    if (r.exitCode !== 0) throw classifySchtasksError(r.stdout, r.stderr, r.exitCode);
    return r;
  };

  const access: TargetAccess = {
    server,
    async connect() {
      if (creds && !ipcConnected) {
        const argv = ['net', 'use', `\\\\${server}\\IPC$`, creds.password, `/user:${creds.user}`];
        log(describeArgv(['net', 'use', `\\\\${server}\\IPC$`, '***', `/user:${creds.user}`]));
        const [file, ...args] = argv;
        const r = await exec(`${file}.exe`, args, { timeoutMs });
        if (r.error || r.exitCode !== 0) {
          const e = classifySchtasksError(r.stdout, r.stderr, r.exitCode);
          const kind = e.kind === 'command-failed' && /1326|password/i.test(e.message) ? 'auth' : e.kind;
          throw new TargetError(
            kind,
            `net use \\\\${server}\\IPC$ failed: ${r.error ?? e.message}`,
            e.exitCode,
          );
        }
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
      return runStatusTask(clientPath);
    },
    async probe() {
      const [icmp, transport] = await Promise.all([
        ping(exec, server, platform).catch(() => false),
        (opts.tcpProbe ?? tcpProbe)(server, SMB_PORT).catch(() => false),
      ]);
      return { ping: icmp, transport };
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

  // `wsus-client status` cannot be exec'd over SMB, so it runs as a one-shot SYSTEM task whose
  // output lands in %SystemRoot%\Temp\wsus-connector, read back through ADMIN$.
  async function runStatusTask(clientPath: string): Promise<ClientStatus> {
    if (/["\r\n%]/.test(clientPath))
      throw new Error(`client path ${clientPath}: quotes, % and line breaks are not allowed`);
    const nonce = randomBytes(6).toString('hex');
    const dir = `${systemRoot}\\Temp\\wsus-connector`;
    const out = `${dir}\\status-${nonce}.json`;
    const xmlPath = `${dir}\\status-${nonce}.xml`;
    const now = Date.now();
    const task: TaskDefinition = {
      xmlPath,
      description: 'wsus-connector: wsus-client status',
      command: `${systemRoot}\\System32\\cmd.exe`,
      // cmd /c strips the outer quotes when the line starts with one and has more than two.
      arguments: `/d /c ""${clientPath}" status > "${out}" 2>&1"`,
      workingDirectory: dir,
      startBoundary: new Date(now + 365 * 24 * 3600_000),
      executionTimeLimit: 'PT10M',
      uri: STATUS_TASK_NAME,
    };
    try {
      await access.createTask(STATUS_TASK_NAME, task, true);
      await access.runTask(STATUS_TASK_NAME);
      const limit = opts.statusTimeoutMs ?? 120_000;
      const started = Date.now();
      let info: TaskInfo | null = null;
      for (;;) {
        info = await access.queryTask(STATUS_TASK_NAME);
        const finished = info !== null && taskPhase(info.lastResult) === 'ended';
        if (finished) break;
        if (Date.now() - started > limit) {
          throw new TargetError(
            'command-failed',
            `wsus-client status on ${server} did not finish within ${Math.round(limit / 1000)}s`,
          );
        }
        await sleep(1000);
      }
      const text = (await access.readFile(out))?.toString('utf8') ?? '';
      if (info && info.lastResult !== 0) {
        throw new TargetError(
          'command-failed',
          `wsus-client status on ${server} failed (last result ${info.lastResult}): ${text.trim().slice(0, 300) || 'no output'}`,
        );
      }
      const line = text.split(/\r?\n/).find((l) => l.trim().startsWith('{'));
      let parsed: unknown;
      try {
        parsed = JSON.parse(line ?? '');
      } catch {
        throw new TargetError(
          'command-failed',
          `wsus-client status on ${server} printed no JSON: ${text.slice(0, 300)}`,
        );
      }
      const r = clientStatusSchema.safeParse(parsed);
      if (!r.success) {
        throw new TargetError('command-failed', `wsus-client status on ${server}: unexpected output ${line}`);
      }
      return r.data;
    } finally {
      await access.deleteTask(STATUS_TASK_NAME).catch(() => undefined);
      await access.removeFile(out).catch(() => undefined);
      await access.removeFile(xmlPath).catch(() => undefined);
    }
  }

  return access;
}

/** Why: /P goes right after /U, the only place schtasks accepts it (WINDOWS.md 3.1). */
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
