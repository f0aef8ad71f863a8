// SystemPort on a real Windows server: boot time from LastBootUpTime, pending reboot from the
// registry triggers of docs/windows-facts.md#reboot-and-boot-detection, CBS servicing state, and the reboot
// itself through shutdown.exe with the planned "security fix" reason. Commands go through an injectable
// ExecFn.
import type { SystemPort, UpdateServiceState } from '../client/ports.ts';
import { createExec, type ExecFn, type ExecResult } from '../local/exec.ts';
import { bootTimeFromCim, findCimDateTime } from '../model/boot-time.ts';
import { windowsFreeDiskMB, windowsProcessNames } from './host-checks.ts';
import { parseRegQuery, regDword } from './registry-query.ts';
import { windowsResetUpdateStore } from './update-store-reset.ts';

const CBS = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing';
export const REBOOT_KEYS = {
  cbsRebootPending: `${CBS}\\RebootPending`,
  wuRebootRequired:
    'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired',
  sessionManager: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager',
  activeComputerName: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ActiveComputerName',
  computerName: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName',
  cbsInterface: `${CBS}\\Interface`,
} as const;

/**
 * Win32_OperatingSystem.LastBootUpTime as its raw CIM DATETIME string: Get-WmiObject keeps the
 * DMTF text (Get-CimInstance would turn it into a local DateTime first).
 */
export const LAST_BOOT_ARGV = [
  '-NoProfile',
  '-NonInteractive',
  '-Command',
  '(Get-WmiObject -Class Win32_OperatingSystem -Property LastBootUpTime).LastBootUpTime',
];

/** Wine's reading (its powershell.exe is a stub): `wmic os get LastBootUpTime /value`, the same CIM DATETIME. */
export const LAST_BOOT_WMIC_ARGV = ['os', 'get', 'LastBootUpTime', '/value'];

/**
 * wuauserv's start type and status as .NET enum names (ServiceStartMode, ServiceControllerStatus),
 * which are not localised: e.g. "Disabled Stopped" under a hardening baseline.
 */
export const UPDATE_SERVICE_ARGV = [
  '-NoProfile',
  '-NonInteractive',
  '-Command',
  "$s = Get-Service -Name wuauserv; '{0} {1}' -f $s.StartType, $s.Status",
];

const START_TYPES: Record<string, UpdateServiceState['startType']> = {
  automatic: 'automatic',
  manual: 'manual',
  disabled: 'disabled',
};

/** Why: Get-Service's one line as the port's state; a start type it does not name is "unknown". */
export function parseUpdateService(stdout: string): UpdateServiceState {
  const [start = '', status = ''] = stdout.trim().split(/\s+/);
  return {
    startType: START_TYPES[start.toLowerCase()] ?? 'unknown',
    running: status.toLowerCase() === 'running',
  };
}

/** shutdown.exe exit codes handled like Ansible does (docs/windows-facts.md#reboot-and-boot-detection). */
export const ERROR_SHUTDOWN_IS_SCHEDULED = 1190;
export const ERROR_SHUTDOWN_IN_PROGRESS = 1115;

/** PowerShell reads of LastBootUpTime before the boot time counts as unreadable. */
export const BOOT_READ_ATTEMPTS = 3;

export interface WindowsSystemOptions {
  exec?: ExecFn;
  /** Pause between two LastBootUpTime reads (default 2 s). */
  retryDelayMs?: number;
  /** Whether this is Wine (default: its environment variables, else its registry key). */
  isWine?: () => Promise<boolean>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function answer(r: ExecResult): string {
  return r.error ?? (r.exitCode !== 0 ? `exit ${r.exitCode}` : JSON.stringify(r.stdout.trim()));
}

/** Why: shutdown.exe's arguments for an immediate planned security-fix restart (p:2:18). */
export function rebootArgv(comment: string): string[] {
  // /t 0 is in range (0–315360000); /f is given explicitly because only /t > 0 implies it.
  const clean =
    comment
      .replace(/[\s"]+/g, ' ')
      .trim()
      .slice(0, 512) || 'wsus-connector';
  return ['shutdown.exe', '/r', '/f', '/t', '0', '/d', 'p:2:18', '/c', clean];
}

/** Why: the client's SystemPort on win32 (loaded by src/cli/client-platform.ts). */
export function createWindowsSystem(opts: WindowsSystemOptions = {}): SystemPort {
  const exec = opts.exec ?? createExec();
  const retryDelayMs = opts.retryDelayMs ?? 2000;
  // Wine passes the Unix environment through and keeps its settings under HKLM\Software\Wine.
  const isWine =
    opts.isWine ??
    (async () =>
      Boolean(process.env.WINEPREFIX ?? process.env.WINELOADER) ||
      (await exec('reg.exe', ['query', 'HKLM\\Software\\Wine'], { timeoutMs: 30_000 })).exitCode === 0);

  const regQuery = async (key: string, value?: string) => {
    const args = ['query', key, ...(value ? ['/v', value] : [])];
    const r = await exec('reg.exe', args, { timeoutMs: 30_000 });
    if (r.error) throw new Error(`reg query ${key}: ${r.error}`);
    // Exit 1: the key or value does not exist.
    if (r.exitCode === 1) return null;
    if (r.exitCode !== 0) throw new Error(`reg query ${key} failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
    return parseRegQuery(r.stdout);
  };

  return {
    freeDiskMB: () => windowsFreeDiskMB(exec),
    processNames: () => windowsProcessNames(exec),
    resetUpdateStore: () => windowsResetUpdateStore(exec),
    async bootTime() {
      // The boot time Windows records, as Ansible's win_reboot reads it; never now − uptime, which
      // moves between two readings and once rounded can fake a reboot. Right after a boot WMI can be
      // slow to answer, so the read is retried before it counts as failed.
      const tries: ExecResult[] = [];
      for (let attempt = 1; attempt <= BOOT_READ_ATTEMPTS; attempt++) {
        if (attempt > 1) await sleep(retryDelayMs);
        const ps = await exec('powershell.exe', LAST_BOOT_ARGV, { timeoutMs: 60_000 });
        const fromPs = ps.error || ps.exitCode !== 0 ? null : findCimDateTime(ps.stdout);
        if (fromPs) return bootTimeFromCim(fromPs);
        tries.push(ps);
      }
      const said = tries.map(answer).join('; ');
      // WMIC is a Feature on Demand on Server 2025 and off by default on 24H2 clients
      // (docs/windows-facts.md#boot-time): only Wine, whose powershell.exe is a stub, uses it.
      if (!(await isWine())) {
        throw new Error(
          `LastBootUpTime is not a CIM DATETIME (yyyymmddHHMMSS.mmmmmmsUUU): PowerShell said ${said}`,
        );
      }
      const wmic = await exec('wmic.exe', LAST_BOOT_WMIC_ARGV, { timeoutMs: 60_000 });
      const fromWmic = wmic.error || wmic.exitCode !== 0 ? null : findCimDateTime(wmic.stdout);
      if (fromWmic) return bootTimeFromCim(fromWmic);
      throw new Error(
        `LastBootUpTime is not a CIM DATETIME (yyyymmddHHMMSS.mmmmmmsUUU): PowerShell said ${said}, WMIC said ${answer(wmic)}`,
      );
    },
    async rebootSignals() {
      // Every trigger is read; src/model/reboot-pending.ts decides which ones block an install.
      const renames = await regQuery(REBOOT_KEYS.sessionManager, 'PendingFileRenameOperations');
      const active = (await regQuery(REBOOT_KEYS.activeComputerName, 'ComputerName'))?.[0]?.data;
      const pending = (await regQuery(REBOOT_KEYS.computerName, 'ComputerName'))?.[0]?.data;
      return {
        cbsRebootPending: (await regQuery(REBOOT_KEYS.cbsRebootPending)) !== null,
        wuRebootRequired: (await regQuery(REBOOT_KEYS.wuRebootRequired)) !== null,
        fileRenamesPending:
          renames?.some(
            (x) => x.name === 'PendingFileRenameOperations' && x.data.replace(/\\0/g, '').trim() !== '',
          ) ?? false,
        computerRenamePending:
          active !== undefined && pending !== undefined && active.toLowerCase() !== pending.toLowerCase(),
      };
    },
    async now() {
      // The client runs on the target, so this is the target's clock.
      return new Date().toISOString();
    },
    async servicingInProgress() {
      // 2 = CBS still working; absent, 0 or 1 = done (Ansible's observation,
      // docs/windows-facts.md#reboot-and-boot-detection).
      const v = await regQuery(REBOOT_KEYS.cbsInterface, 'ServicingInProgress');
      return regDword(v?.find((x) => x.name === 'ServicingInProgress')) === 2;
    },
    async updateService() {
      const r = await exec('powershell.exe', UPDATE_SERVICE_ARGV, { timeoutMs: 60_000 });
      if (r.error || r.exitCode !== 0) {
        throw new Error(`Get-Service wuauserv failed (${answer(r)}): ${r.stderr.trim()}`);
      }
      return parseUpdateService(r.stdout);
    },
    async reboot(comment) {
      const [file, ...args] = rebootArgv(comment);
      for (let attempt = 1; ; attempt++) {
        const r = await exec(file as string, args, { timeoutMs: 60_000 });
        if (r.exitCode === 0 || r.exitCode === ERROR_SHUTDOWN_IN_PROGRESS) return;
        if (r.exitCode === ERROR_SHUTDOWN_IS_SCHEDULED && attempt === 1) {
          // Someone else scheduled a shutdown: abort it and issue ours, once.
          await exec('shutdown.exe', ['/a'], { timeoutMs: 60_000 });
          continue;
        }
        throw new Error(
          `shutdown.exe /r failed (${r.error ?? `exit ${r.exitCode}`}): ${(r.stderr || r.stdout).trim()}`,
        );
      }
    },
  };
}
