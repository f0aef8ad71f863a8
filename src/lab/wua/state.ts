// A lab host's persistent state (hostDir/state/host.json): what is installed, pending a reboot,
// downloaded, attempted. Every agent call re-reads it, so state survives reboots and processes.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CatalogEntry } from '../scenario.ts';

export interface LabHostState {
  name: string;
  os: string;
  timeZone: string;
  timeScale: number;
  rebootSeconds: number;
  servicingSeconds: number;
  bootStuck: boolean;
  bootTimeMs: number;
  bootCount: number;
  /** The scenario's pendingReboot, until the first reboot. */
  pendingRebootAtStart: boolean;
  servicingUntilMs: number | null;
  /** The scenario's pendingFileRename, and whether entries are in the registry now. */
  fileRenameMode: 'none' | 'clears' | 'permanent';
  fileRenamesPending: boolean;
  /** IUpdateInstaller.IsBusy is true until this instant (another install after boot). */
  busyInstallerSeconds: number;
  installerBusyUntilMs: number | null;
  /** The host's clock minus real time (clockSkewSeconds × 1000). */
  clockSkewMs: number;
  /** The whole scenario catalog (requires may name any entry) and this host's entry ids. */
  catalog: CatalogEntry[];
  hostCatalog: string[];
  /** KBs installed before the lab started. */
  installedKbs: string[];
  /** Catalog ids installed and effective. */
  installed: string[];
  /** Catalog ids installed, effective after the next reboot. */
  pendingInstalls: string[];
  downloaded: string[];
  eulaAccepted: string[];
  attempts: Record<string, { download: number; install: number }>;
  /** When the lab started (epoch ms): appearsAfterSeconds counts from here. */
  labStartMs?: number;
  /** The scenario's freeDiskMB and processes (docs/lab.md "Prechecks"). */
  freeDiskMB: number;
  processes: string[];
  /** The scenario's wuStoreCorrupt, until the store is reset (docs/lab.md "Store corruption"). */
  wuStoreCorrupt?: boolean;
  /** Catalog ids with IUpdate.IsHidden set. */
  hidden?: string[];
  /** Catalog ids uninstalled, the removal completing at the next reboot. */
  pendingUninstalls?: string[];
  /** Store resets done (SoftwareDistribution.old, .old2...). */
  storeResets?: number;
  /** An installed `blocksFurtherInstalls` entry: RebootRequiredBeforeInstallation until the next boot. */
  installsBlocked?: boolean;
  /** The wuauserv start type the scenario gives (absent: running). */
  wuauserv?: 'disabled' | 'manual' | 'running';
  /** A manual wuauserv started on demand by a WUA call in this boot. */
  wuauservStarted?: boolean;
  systemInfoFails?: 'never' | 'until-reboot' | 'always';
}

/** Why: one place that knows where the state file lives. */
export function statePath(hostDir: string, name = 'host.json'): string {
  return join(hostDir, 'state', name);
}

// The state files are small and local, and one lab process serves a whole fleet: synchronous
// calls cost it a fraction of the promise-based ones (four thread-pool trips per read), which
// were a large share of the lab's CPU at a thousand hosts (docs/scale.md).

/** The text of each state file as last read or written here, with the stat it had then. */
const texts = new Map<string, { stamp: string; text: string }>();

/** Why: what tells one version of a state file from another (a write replaces it by rename). */
function stampOf(path: string): string {
  // Numbers, not bigints: the same fields at a fraction of the cost (mtimeMs keeps sub-ms digits).
  const st = statSync(path);
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

/** State files that no other process writes: their kept text needs no stat to be trusted. */
const ownedPaths = new Set<string>();

/**
 * Why: a lab that runs its hosts' clients in its own process (not `lab --spawn`) is the only
 * writer of their state, and a host's calls read it dozens of times a cycle: a stat per read was a
 * few percent of the lab's CPU at a thousand hosts (docs/scale.md).
 */
export function ownState(hostDir: string): void {
  ownedPaths.add(statePath(hostDir));
}

/**
 * Why: every agent and system call starts from what is on disk. A host's calls read it dozens of
 * times a cycle, so the text is kept and a stat (one call instead of four) tells whether another
 * process replaced it since; a state this process owns is read from the kept text alone.
 */
export async function readState(hostDir: string): Promise<LabHostState> {
  const path = statePath(hostDir);
  const owned = ownedPaths.has(path) ? texts.get(path) : undefined;
  if (owned) return JSON.parse(owned.text) as LabHostState;
  const stamp = stampOf(path);
  let hit = texts.get(path);
  if (hit?.stamp !== stamp) {
    hit = { stamp, text: readFileSync(path, 'utf8') };
    // A write between the stat and the read would pair old stamp and new text: keep it unstamped.
    if (stampOf(path) === stamp) texts.set(path, hit);
  }
  return JSON.parse(hit.text) as LabHostState;
}

/** Why: write-then-rename, so a reboot (killed process) never leaves half a state file. */
export async function writeState(hostDir: string, state: LabHostState): Promise<void> {
  const tmp = statePath(hostDir, `host.json.${process.pid}.${Math.random().toString(36).slice(2)}`);
  const text = JSON.stringify(state, null, 2);
  await writeMakingDir(tmp, text);
  const path = statePath(hostDir);
  // Stamped before the rename (which keeps inode, size and time): a later replacement by another
  // process cannot be mistaken for this text. A state this process owns is never compared.
  const stamp = ownedPaths.has(path) ? 'owned' : stampOf(tmp);
  renameSync(tmp, path);
  texts.set(path, { stamp, text });
}

/** Why: the state folder exists after the first write; a mkdir before every write was waste. */
export async function writeMakingDir(path: string, text: string): Promise<void> {
  try {
    writeFileSync(path, text);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

/** One queue per host folder: its read-modify-writes run one after the other. */
const queues = new Map<string, Promise<unknown>>();

/** Why: read-modify-write in one call; calls on one host are serialised by this queue. */
export function updateState<T>(hostDir: string, fn: (s: LabHostState) => T | Promise<T>): Promise<T> {
  const prev = queues.get(hostDir) ?? Promise.resolve();
  const next = prev.then(async () => {
    const s = await readState(hostDir);
    const out = await fn(s);
    await writeState(hostDir, s);
    return out;
  });
  queues.set(
    hostDir,
    next.catch(() => undefined),
  );
  return next;
}

/** Where a host's state lives: host.json for the lab, memory for the connector's fast tests. */
export interface LabStateStore {
  read(): Promise<LabHostState>;
  /** Read-modify-write as one step. */
  update<T>(fn: (s: LabHostState) => T | Promise<T>): Promise<T>;
}

/** Why: the lab's store: the state file of one host folder. */
export function fileStateStore(hostDir: string): LabStateStore {
  return { read: () => readState(hostDir), update: (fn) => updateState(hostDir, fn) };
}

/** Why: a reboot is pending while installs wait for one, or the scenario says so at start. */
export function isRebootPending(s: LabHostState): boolean {
  return s.pendingRebootAtStart || s.pendingInstalls.length > 0 || (s.pendingUninstalls?.length ?? 0) > 0;
}

/** Why: IUpdateInstaller.IsBusy of the lab host: another install runs for a while after each boot. */
export function isInstallerBusy(s: LabHostState, now: number): boolean {
  return s.installerBusyUntilMs !== null && now < s.installerBusyUntilMs;
}

/** Why: the busy window that starts at a boot (or when the lab starts). */
export function installerBusyUntil(s: LabHostState, now: number): number | null {
  return s.busyInstallerSeconds > 0 ? now + s.busyInstallerSeconds * s.timeScale * 1000 : null;
}
