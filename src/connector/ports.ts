// The port the connector's orchestration drives a target through. The ssh adapter (OpenSSH on
// the target, or a lab host) and the windows adapter (schtasks /S, ADMIN$, SMB pipes) implement
// it; tests use an in-memory fake. Nothing here touches child_process, net or fs directly.
import type { Duplex } from 'node:stream';
import type { TaskInfo } from '../model/target.ts';
import type { TaskDefinition } from '../model/task-definition.ts';
import type { ClientStatus } from '../protocol/client-status.ts';

export { TargetError, type TargetErrorKind, type TaskInfo } from '../model/target.ts';
export type { ClientStatus } from '../protocol/client-status.ts';

export interface TargetAccess {
  readonly server: string;
  /**
   * Opens the session (SSH handshake and host-key check). Throws TargetError. A transport that
   * waits for a server refusing connections (still rebooting) says so once through onWait.
   */
  connect(onWait?: (text: string) => void): Promise<void>;
  /** Writes a file on the target, creating parent folders. Paths are Windows paths (C:\...). */
  writeFile(path: string, data: Buffer | string): Promise<void>;
  /**
   * Reads a file on the target, or null when it does not exist. A transport that retries a read
   * on a new connection after a drop does not when `once` is set: the caller wants to know that
   * the server stopped answering (TargetError 'unreachable').
   */
  readFile(path: string, opts?: { once?: boolean }): Promise<Buffer | null>;
  removeFile(path: string): Promise<void>;
  /**
   * Stages the task's XML at task.xmlPath, then schtasks /Create /TN name /XML file [/F]. Without
   * overwrite an existing task is TargetError 'task-exists'.
   */
  createTask(name: string, task: TaskDefinition, overwrite: boolean): Promise<void>;
  runTask(name: string): Promise<void>;
  /** null when the task does not exist. */
  queryTask(name: string): Promise<TaskInfo | null>;
  endTask(name: string): Promise<void>;
  deleteTask(name: string): Promise<void>;
  /**
   * Creates the folder if needed and gives it an explicit ACL (SYSTEM and Administrators only,
   * inheritance off): job.json holds the pipe token. Adapters without it leave the ACL as it is.
   */
  protectFolder?(path: string): Promise<void>;
  /**
   * A duplex byte stream to the client's pipe (over `wsus-client relay` or SMB). With waitMs the
   * far end may wait that long for a client to come up on the pipe (the relay's --wait), so the
   * stream answers the moment it is up; a transport that cannot wait fails at once as before.
   */
  openPipe(pipe: string, clientPath: string, opts?: { waitMs?: number }): Promise<Duplex>;
  /** Runs `wsus-client status` on the target. */
  clientStatus(clientPath: string): Promise<ClientStatus>;
  /**
   * Reachability without a session: whether the transport port accepts a connection (the only
   * thing the reboot wait decides on), and an ICMP reply where the transport also pings (a hint).
   */
  probe(): Promise<{ ping?: boolean; transport: boolean }>;
  /**
   * What the transport learned of how its command lines run and how their output is read
   * (preflight's `shell` check). Optional: a transport without it is reported as not checked.
   */
  shellInfo?(): Promise<ShellInfo>;
  close(): Promise<void>;
}

/** A transport's own view of the target's shell and code page (docs/usage.md "Preflight"). */
export interface ShellInfo {
  /** What runs the command lines, e.g. `cmd.exe`, `PowerShell`, or what the session printed instead. */
  shell: string;
  /** false: the transport builds no command line this shell runs, so every command would fail. */
  drivable: boolean;
  /** The code page the command output arrives in; null when the transport could not tell. */
  codePage: number | null;
  /** false: the transport does not decode this code page (or does not know it): non-ASCII may read wrongly. */
  decoded: boolean;
  /** Where the facts come from (e.g. the option the shell was opened with), shown after them. */
  source?: string;
  /** What to change on the target when the shell cannot be driven or the code page is not decoded. */
  fix?: string;
}

/** Time, injected so the state machine runs in milliseconds under test. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
