// The active-run marker lets `wsus-client status` say which run holds the host. It lives in the
// admin-only ProgramData folder, is removed when the run exits, and is ignored once stale (written
// before the last boot, or by a process that no longer exists).

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ClientStatus } from '../protocol/client-status.ts';
import { processAlive } from './process-alive.ts';

/** Target path of the marker; hosts map it with resolvePath. */
export const ACTIVE_RUN_TARGET_PATH = 'C:\\ProgramData\\wsus-connector\\active.json';

export interface ActiveRunMarker {
  runId: string;
  cycle: number;
  pipe: string;
  bootTime: string;
  pid: number;
  startedAt: string;
}

/** Why: published at the start of a run (atomically, via rename) so status never reads half a file. */
export function writeActiveRun(path: string, marker: ActiveRunMarker): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${marker.pid}.${marker.runId}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(marker)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Why: removes the marker at exit, but only if it is still ours (a later run may have replaced it). */
export function removeActiveRun(path: string, runId: string, cycle: number): void {
  const current = readMarker(path);
  if (current && (current.runId !== runId || current.cycle !== cycle)) return;
  rmSync(path, { force: true });
}

function readMarker(path: string): ActiveRunMarker | null {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<ActiveRunMarker>;
    if (typeof raw.runId !== 'string' || typeof raw.cycle !== 'number' || typeof raw.pipe !== 'string')
      return null;
    return raw as ActiveRunMarker;
  } catch {
    return null;
  }
}

/** Why: the status view of the marker; stale markers (other boot, dead process) read as no run. */
export function readActiveRun(path: string, currentBootTime: string): ClientStatus['activeRun'] {
  const m = readMarker(path);
  if (!m) return null;
  if (m.bootTime !== currentBootTime) return null;
  if (typeof m.pid === 'number' && !processAlive(m.pid)) return null;
  return {
    runId: m.runId,
    cycle: m.cycle,
    pipe: m.pipe,
    ...(typeof m.pid === 'number' ? { pid: m.pid } : {}),
  };
}
