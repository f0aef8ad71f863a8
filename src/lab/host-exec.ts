// What one lab host answers to a command line from either front end (SSH exec or a WinRM cmd
// shell): its shell's view of the line, then the programs docs/target-commands.md uses, wired to
// this host's Task Scheduler, client, ACLs and disk.
import { existsSync } from 'node:fs';
import { schtasksLocale } from '../windows-common/schtasks-locale.ts';
import { labIcacls } from './folder-acl.ts';
import { runPowerShell } from './powershell/file-scripts.ts';
import type { ScenarioHost } from './scenario.ts';
import { dispatchExec } from './ssh/exec-dispatch.ts';
import type { ExecIo } from './ssh/server.ts';
import { mapSftpPath } from './ssh/sftp-paths.ts';
import type { LabShell } from './ssh/shell.ts';
import type { LabTaskScheduler } from './tasks/scheduler.ts';

export interface HostExecContext {
  name: string;
  host: ScenarioHost;
  clientPath: string;
  hostDir: string;
  diskDir: string;
  /** The Task Scheduler while the host is up; null while it boots or is down. */
  tasks(): LabTaskScheduler | null;
  onDisk(targetPath: string): string;
  isTargetFile(targetPath: string): boolean;
  runClient(args: string[], io: ExecIo): Promise<number>;
  /** A job file is being written (the lab's `stage` fault event). */
  onStage(): void;
}

/** How a front end's session differs from the host's SSH defaults (WinRS: cmd.exe, its own code page). */
export interface SessionOverride {
  shell?: LabShell;
  codePage?: number;
}

const NOT_RUNNING = { code: 1, stdout: '', stderr: 'ERROR: The Task Scheduler service is not running.\r\n' };

/** Why: one command line → its exit code, the host's programs behind the shell (docs/lab.md). */
export function hostExec(
  c: HostExecContext,
  line: string,
  io: ExecIo,
  session: SessionOverride = {},
): Promise<number> {
  const locale = schtasksLocale(c.host.locale);
  return dispatchExec(line, io, {
    hostName: c.name,
    clientPath: c.clientPath,
    shell: session.shell ?? c.host.sshShell,
    locale,
    codePage: session.codePage ?? c.host.consoleCodePage ?? locale.defaultCodePage,
    networkCredentials: c.host.sshNetworkCredentials,
    // A stat, not a read: the program named may be the client, megabytes on a real host.
    exists: async (p) => c.isTargetFile(p),
    schtasks: (args, readAnswer) => c.tasks()?.exec(args, readAnswer) ?? Promise.resolve(NOT_RUNNING),
    client: (args, cio) => c.runClient(args, cio),
    icacls: (args) => labIcacls(c.hostDir, args, (p) => existsSync(c.onDisk(p))),
    powershell: (args, pio) =>
      runPowerShell(args, pio, {
        onDisk: (p) => mapSftpPath(c.diskDir, p),
        onWrite: (p) => {
          if (/job\.json$/i.test(p)) c.onStage();
        },
      }),
  });
}
