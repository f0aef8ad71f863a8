// Where the lab's emulated named pipes (Unix sockets) live. Windows keeps named pipes in the Named
// Pipe File System, in memory and apart from every disk volume (docs/lab.md "Named pipes"). A
// socket on a disk file system instead journals an inode's creation and removal for every client
// run; at a thousand hosts those metadata writes waited behind the shared disk now and then, and
// stalled the lab's one thread for seconds (docs/scale.md). A lab that is killed outright leaves
// its folder behind, so each lab marks its folder with a listening socket and the next lab
// removes the folders whose marker no longer answers (docs/lab.md "Named pipes").
import { accessSync, constants, statSync } from 'node:fs';
import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Memory file systems that hold sockets, in order of preference. */
export const MEMORY_DIRS = ['/dev/shm'];

/** Why: the folder for the lab's pipe folders: a writable memory file system if any, else the temp folder. */
export function pipeRootBase(candidates: readonly string[] = MEMORY_DIRS, fallback = tmpdir()): string {
  for (const dir of candidates) {
    try {
      if (!statSync(dir).isDirectory()) continue;
      accessSync(dir, constants.W_OK | constants.X_OK);
      return dir;
    } catch {
      // Missing or not writable: try the next.
    }
  }
  return fallback;
}

/** The socket a live lab listens on in its pipe folder, so another lab can tell it is alive. */
const ALIVE = 'alive';
/** A refusing marker younger than this may be a lab between its bind and its listen. */
const STALE_AFTER_MS = 10_000;
/** A marker that neither accepts nor refuses within this is left alone (bounded start). */
const PROBE_MS = 1_000;

export interface PipeRoot {
  path: string;
  /** Stops the marker and removes the folder (its pipes are gone with their hosts). */
  close(): Promise<void>;
}

/** Why: connect to a pipe folder's marker: refused means no lab owns the folder any more. */
function markerRefuses(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection(socketPath);
    const done = (refused: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(refused);
    };
    const timer = setTimeout(() => done(false), PROBE_MS);
    sock.once('connect', () => done(false));
    sock.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED'));
  });
}

/**
 * Why: a lab killed outright (SIGKILL, a crashed worker) cannot remove its pipe folder; the next
 * lab removes each one whose marker refuses connections and is old enough, so they do not pile
 * up in memory. A folder without a marker, or whose marker cannot be judged, is left alone.
 */
export async function sweepStalePipeRoots(base: string, staleAfterMs = STALE_AFTER_MS): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(base);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names.filter((n) => n.startsWith('wsl-'))) {
    const dir = join(base, name);
    const marker = join(dir, ALIVE);
    try {
      const st = await lstat(marker);
      if (!st.isSocket() || Date.now() - st.mtimeMs < staleAfterMs) continue;
      if (!(await markerRefuses(marker))) continue;
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // No marker, or not ours to read or remove: leave it.
    }
  }
  return removed;
}

/** Why: a lab's own pipe folder, marked as alive for as long as the lab runs. */
export async function makePipeRoot(base = pipeRootBase()): Promise<PipeRoot> {
  await sweepStalePipeRoots(base);
  const path = await mkdtemp(join(base, 'wsl-'));
  const marker = createServer((s) => s.destroy());
  try {
    await new Promise<void>((resolve, reject) => {
      marker.once('error', reject);
      marker.listen(join(path, ALIVE), () => resolve());
    });
  } catch (err) {
    await rm(path, { recursive: true, force: true });
    throw err;
  }
  // The hosts keep the lab running; the marker alone must not.
  marker.unref();
  return {
    path,
    close: async () => {
      await new Promise<void>((resolve) => marker.close(() => resolve()));
      await rm(path, { recursive: true, force: true });
    },
  };
}
