// A lab host's disk and state folders: created from the scenario, advanced by each reboot, and
// summarised for the lab's own output and tests (docs/lab.md).
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isoInZone } from './local-time.ts';
import type { CatalogEntry, ScenarioHost } from './scenario.ts';
import {
  installerBusyUntil,
  isRebootPending,
  type LabHostState,
  readState,
  updateState,
  writeState,
} from './wua/state.ts';

export interface HostSummary {
  bootTime: string;
  rebootPending: boolean;
  fileRenamesPending: boolean;
  installedKbs: string[];
  servicingUntil: number | null;
}

/** Why: a fresh host: disk/ stands for C:\, state/ holds what WUA and the lab remember. */
export async function initHostState(
  hostDir: string,
  init: { host: ScenarioHost; catalog: CatalogEntry[]; timeScale: number },
  now: number,
): Promise<void> {
  await rm(join(hostDir, 'state'), { recursive: true, force: true });
  await mkdir(join(hostDir, 'disk', 'ProgramData'), { recursive: true });
  await mkdir(join(hostDir, 'disk', 'Windows', 'Temp'), { recursive: true });
  const h = init.host;
  const state: LabHostState = {
    name: h.name,
    os: h.os,
    timeZone: h.timeZone,
    timeScale: init.timeScale,
    rebootSeconds: h.rebootSeconds,
    servicingSeconds: h.servicingSeconds,
    bootStuck: h.bootStuck,
    // The host has been up for an hour when the lab starts.
    // Sub-second, like every real boot time (LastBootUpTime carries microseconds).
    bootTimeMs: now - 3_600_000,
    bootCount: 0,
    pendingRebootAtStart: h.pendingReboot,
    servicingUntilMs: null,
    fileRenameMode: h.pendingFileRename,
    fileRenamesPending: h.pendingFileRename !== 'none',
    busyInstallerSeconds: h.busyInstallerSeconds,
    installerBusyUntilMs: null,
    clockSkewMs: h.clockSkewSeconds * 1000,
    catalog: init.catalog,
    hostCatalog: h.catalog,
    installedKbs: h.installed.map((k) => k.toUpperCase()),
    installed: [],
    pendingInstalls: [],
    downloaded: [],
    eulaAccepted: [],
    attempts: {},
    labStartMs: now,
    freeDiskMB: h.freeDiskMB,
    processes: h.processes,
    wuStoreCorrupt: h.wuStoreCorrupt,
    installsBlocked: false,
    wuauserv: h.wuauserv,
    systemInfoFails: h.systemInfoFails,
  };
  // Automatic updates start installing as the lab comes up, as after any boot.
  state.installerBusyUntilMs = installerBusyUntil(state, now);
  await writeState(hostDir, state);
}

/** Why: the middle of a power cycle: pending installs take effect, a new boot, servicing starts. */
export async function completeReboot(hostDir: string, now: number): Promise<{ bootTime: string }> {
  return updateState(hostDir, (s) => applyReboot(s, now));
}

/** Why: what a reboot does to the state, for the file-backed lab and the in-memory test host. */
export function applyReboot(s: LabHostState, now: number): { bootTime: string } {
  for (const id of s.pendingInstalls) if (!s.installed.includes(id)) s.installed.push(id);
  s.pendingInstalls = [];
  s.pendingUninstalls = [];
  s.installsBlocked = false;
  s.wuauservStarted = false;
  s.pendingRebootAtStart = false;
  s.bootTimeMs = Math.max(now, s.bootTimeMs + 1);
  s.bootCount += 1;
  s.servicingUntilMs = s.servicingSeconds > 0 ? now + s.servicingSeconds * s.timeScale * 1000 : null;
  // Session Manager performs the renames at boot; a `permanent` entry is written again each time.
  s.fileRenamesPending = s.fileRenameMode === 'permanent';
  s.installerBusyUntilMs = installerBusyUntil(s, now);
  return { bootTime: isoInZone(s.bootTimeMs + s.clockSkewMs, s.timeZone) };
}

/** Why: what the lab prints per host and what tests assert on. */
export async function readHostSummary(hostDir: string): Promise<HostSummary> {
  const s = await readState(hostDir);
  const kbs = new Set(s.installedKbs);
  for (const id of s.installed) {
    const e = s.catalog.find((c) => c.id === id);
    if (e) kbs.add(e.kb.toUpperCase());
  }
  return {
    bootTime: isoInZone(s.bootTimeMs + s.clockSkewMs, s.timeZone),
    rebootPending: isRebootPending(s),
    fileRenamesPending: s.fileRenamesPending,
    installedKbs: [...kbs].sort(),
    servicingUntil: s.servicingUntilMs,
  };
}
