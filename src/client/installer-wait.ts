// Before Install(): wait while WUA's installer is busy with another install (automatic updates,
// another tool). Install() would otherwise fail with WU_E_INSTALL_NOT_ALLOWED (0x80240016), which
// is not a failure of the update (docs/windows.md "Install while busy"). The wait is bounded and
// reported in the job output; after the bound the install is tried and its real result stands.
import { formatDuration } from '../model/duration.ts';
import { sleep as abortableSleep } from './abortable.ts';
import type { EventSink } from './activity-log.ts';
import type { UpdateAgent } from './ports.ts';

export interface InstallerWaitOptions {
  /** The longest the client waits for the installer (default 30 minutes). */
  maxMs?: number;
  /** First poll interval; doubles up to maxPollMs. */
  firstPollMs?: number;
  maxPollMs?: number;
  /** Injected for tests; defaults to an abortable timer. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

export const INSTALLER_WAIT_MAX_MS = 30 * 60_000;

/** Why: IsBusy polled with backoff; true when the installer came free, false when the bound ran out. */
export async function waitForInstaller(
  agent: UpdateAgent,
  log: EventSink,
  signal: AbortSignal,
  o: InstallerWaitOptions = {},
): Promise<boolean> {
  const maxMs = o.maxMs ?? INSTALLER_WAIT_MAX_MS;
  const sleep = o.sleep ?? abortableSleep;
  const now = o.now ?? Date.now;
  // A bridge that cannot answer IsBusy must not stop the install: Install() reports the truth.
  const busy = () => agent.installerBusy().catch(() => false);
  if (!(await busy())) return true;
  const start = now();
  log.emit(
    'warn',
    'installer.busy',
    `Windows Update is busy with another installation; waiting up to ${formatDuration(maxMs)} before installing`,
    { maxMs },
  );
  let poll = o.firstPollMs ?? 250;
  const maxPoll = o.maxPollMs ?? 15_000;
  for (;;) {
    const left = start + maxMs - now();
    if (left <= 0) {
      log.emit(
        'warn',
        'installer.still-busy',
        `Windows Update was still busy after ${formatDuration(maxMs)}; trying the install anyway`,
        { waitedMs: now() - start },
      );
      return false;
    }
    await sleep(Math.min(poll, left), signal);
    poll = Math.min(poll * 2, maxPoll);
    if (!(await busy())) {
      const waitedMs = now() - start;
      log.emit(
        'info',
        'installer.free',
        `Windows Update is free after ${formatDuration(waitedMs)}; installing`,
        {
          waitedMs,
        },
      );
      return true;
    }
  }
}
