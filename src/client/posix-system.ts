// SystemPort for a POSIX machine that runs the client outside the lab (development, smoke tests).
// It reports the real boot time, never claims servicing, and refuses to reboot the machine:
// only a Windows target or a lab host may be rebooted by a run.
import { existsSync, readFileSync } from 'node:fs';
import { uptime } from 'node:os';
import { NO_REBOOT_SIGNALS } from '../model/reboot-pending.ts';
import type { SystemPort } from './ports.ts';

function linuxBootTime(): Date | null {
  try {
    const m = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    return m ? new Date(Number(m[1]) * 1000) : null;
  } catch {
    return null;
  }
}

/** Why: a harmless SystemPort so `status` and dry runs work on a POSIX development machine. */
export function createPosixSystem(): SystemPort {
  return {
    async bootTime() {
      // Without /proc, round to the minute so the value is stable between calls.
      const boot = linuxBootTime() ?? new Date(Math.round((Date.now() - uptime() * 1000) / 60_000) * 60_000);
      return boot.toISOString();
    },
    async rebootSignals() {
      // Debian/Ubuntu's marker for "a package asked for a restart" stands in for CBS's.
      return { ...NO_REBOOT_SIGNALS, cbsRebootPending: existsSync('/run/reboot-required') };
    },
    async now() {
      return new Date().toISOString();
    },
    async servicingInProgress() {
      return false;
    },
    async reboot() {
      throw new Error('refusing to reboot: this POSIX machine is not a Windows target or a lab host');
    },
  };
}
