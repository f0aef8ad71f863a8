// What the machine running the client provides to it. The CLI builds a real one (Windows or
// POSIX); a lab host builds one per exec, so the same clientMain runs in-process against the
// emulated WUA, the host's disk folder and its pipe folder, and dies when the host reboots.
import type { Readable, Writable } from 'node:stream';
import type { AgentSpec } from '../protocol/job.ts';
import type { SystemPort, UpdateAgent } from './ports.ts';

export interface ClientEnv {
  /** The UpdateAgent this host gives a job (the lab overrides the job's own spec). */
  agent(spec: AgentSpec): UpdateAgent;
  system: SystemPort;
  /** Maps a target path such as C:\ProgramData\x to a local one (identity on Windows). */
  resolvePath(targetPath: string): string;
  /** The local endpoint for a pipe name: \\.\pipe\NAME on Windows, a socket path on POSIX. */
  pipePath(name: string): string;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Fired when the process must die at once (a lab reboot kills running processes). */
  signal: AbortSignal;
}

/** The client's entry point: `wsus-client <argv...>`; resolves to the process exit code. */
export type ClientMain = (argv: string[], clientEnv: ClientEnv) => Promise<number>;
