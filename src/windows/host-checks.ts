// What the prechecks read on a real Windows server (docs/usage.md#prechecks): free space of the
// system drive (Win32_LogicalDisk FreeSpace, bytes) and the image names of the running processes
// (Win32_Process Name), through Windows PowerShell.
import type { ExecFn } from '../local/exec.ts';

const PS = ['-NoProfile', '-NonInteractive', '-Command'];

export const FREE_DISK_ARGV = [
  ...PS,
  '(Get-CimInstance -ClassName Win32_LogicalDisk -Filter "DeviceID=\'$env:SystemDrive\'").FreeSpace',
];
export const PROCESS_NAMES_ARGV = [...PS, 'Get-CimInstance -ClassName Win32_Process | ForEach-Object Name'];

/** Why: one PowerShell answer as text, or an error naming what was asked. */
async function ask(exec: ExecFn, argv: string[], what: string): Promise<string> {
  const r = await exec('powershell.exe', argv, { timeoutMs: 60_000 });
  if (r.error || r.exitCode !== 0) {
    throw new Error(`reading ${what} failed (${r.error ?? `exit ${r.exitCode}`}): ${r.stderr.trim()}`);
  }
  return r.stdout;
}

/** Why: the system drive's free space in MB, for --min-free-disk. */
export async function windowsFreeDiskMB(exec: ExecFn): Promise<number> {
  const text = (await ask(exec, FREE_DISK_ARGV, 'the free disk space')).trim();
  if (!/^\d+$/.test(text))
    throw new Error(`Win32_LogicalDisk FreeSpace is not a number: ${JSON.stringify(text)}`);
  return Math.floor(Number(text) / (1024 * 1024));
}

/** Why: the running processes' image names, for --skip-if-process. */
export async function windowsProcessNames(exec: ExecFn): Promise<string[]> {
  const text = await ask(exec, PROCESS_NAMES_ARGV, 'the running processes');
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
