// Where the lab's emulated named pipes (Unix sockets) live. Windows keeps named pipes in the Named
// Pipe File System, in memory and apart from every disk volume (docs/lab.md "Named pipes"). A
// socket on a disk file system instead journals an inode's creation and removal for every client
// run; at a thousand hosts those metadata writes waited behind the shared disk now and then, and
// stalled the lab's one thread for seconds (docs/scale.md).
import { accessSync, constants, statSync } from 'node:fs';
import { tmpdir } from 'node:os';

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
