// Where an SFTP path of a lab host lands: Windows OpenSSH's /C:/... names mapped into the host's
// disk folder, confined to it: no path, `..` or symlink reaches outside
// (test/lab/ssh/sftp-paths.test.ts). A fleet's SFTP requests made this a hot path (docs/scale.md).
import { constants as fsConstants, lstatSync, realpathSync, type Stats } from 'node:fs';
import { dirname, join, posix, sep } from 'node:path';

export const HOME = '/C:/Users/Administrator';

/**
 * Why: /C:/x, C:/x, C:\x and relative paths (from the home folder) → a path inside diskRoot, or
 * null. `followsLeaf` false is for operations that act on a last-component symlink itself (mkdir,
 * remove, rename, lstat, and opens made with O_NOFOLLOW), which cannot lead outside.
 */
export function mapSftpPath(
  diskRoot: string,
  requested: string,
  safeDirs?: Set<string>,
  followsLeaf = true,
): string | null {
  const local = localPath(diskRoot, requested);
  if (local === null) return null;
  // Under a trusted folder only the last component can be a symlink: at most one lstat.
  if (
    safeDirs &&
    trustedDir(diskRoot, dirname(local), safeDirs) &&
    (!followsLeaf || !entryAt(local)?.isSymbolicLink())
  )
    return local;
  return resolvesInside(diskRoot, local) ? local : null;
}

/** Why: open(2) flags of an SFTP OPEN (draft-ietf-secsh-filexfer-02 6.3: READ 1, WRITE 2, APPEND 4, CREAT 8, TRUNC 0x10, EXCL 0x20). */
export function openFlags(pflags: number): number {
  const { O_RDONLY, O_WRONLY, O_RDWR, O_APPEND, O_CREAT, O_TRUNC, O_EXCL } = fsConstants;
  const rw = pflags & 3;
  let f = rw === 3 ? O_RDWR : rw === 2 ? O_WRONLY : O_RDONLY;
  if (pflags & 0x04) f |= O_APPEND;
  if (pflags & 0x08) f |= O_CREAT;
  if (pflags & 0x10) f |= O_TRUNC;
  if (pflags & 0x20) f |= O_EXCL;
  return f;
}

/**
 * Why: a folder lies inside the disk when every level of it below the disk root, or below a folder
 * this session already trusts, is a real folder and not a symlink (the session cannot make
 * symlinks). One lstat per level never seen before; the levels checked are trusted from then on.
 */
function trustedDir(diskRoot: string, dir: string, safeDirs: Set<string>): boolean {
  const unseen: string[] = [];
  for (let d = dir; d !== diskRoot && !safeDirs.has(d); d = dirname(d)) {
    if (dirname(d) === d) return false; // Not under the disk root at all.
    unseen.push(d);
  }
  for (const d of unseen.reverse()) {
    if (!entryAt(d)?.isDirectory()) return false; // Missing, a file, or a symlink: the full check.
    safeDirs.add(d);
  }
  return true;
}

/** Why: the path inside diskRoot a Windows OpenSSH name stands for, before any symlink check. */
function localPath(diskRoot: string, requested: string): string | null {
  let p = requested.replace(/\\/g, '/');
  if (!p.startsWith('/')) p = /^[A-Za-z]:/.test(p) ? `/${p}` : `${HOME}/${p}`;
  const m = /^\/([A-Za-z]):(\/.*)?$/.exec(p);
  if (!m) return null;
  if ((m[1] ?? '').toUpperCase() !== 'C') return null;
  const inner = posix.normalize(m[2] ?? '/');
  const parts = inner.split('/').filter((x) => x !== '' && x !== '..');
  return join(diskRoot, ...parts);
}

/** Why: what a path is without following it; nothing there (or a file on the way, ENOTDIR) is null. */
function entryAt(path: string): Stats | null {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

/** The real path of each disk folder, resolved once: it does not move while the lab runs. */
const realRoots = new Map<string, string>();

/**
 * Why: the nearest existing ancestor of the path (the path itself when it exists) must resolve
 * inside the disk, whatever symlinks are on the way. One realpath(3) call per existing level: a
 * fleet's SFTP requests spent most of their time walking the path in JavaScript (docs/scale.md).
 */
export function resolvesInside(diskRoot: string, local: string): boolean {
  let rootReal = realRoots.get(diskRoot);
  if (rootReal === undefined) {
    rootReal = realpathSync.native(diskRoot);
    realRoots.set(diskRoot, rootReal);
  }
  let probe = local;
  for (;;) {
    try {
      const real = realpathSync.native(probe);
      return real === rootReal || real.startsWith(rootReal + sep);
    } catch {
      // A dangling symlink resolves nowhere, and writing through it would land outside.
      if (entryAt(probe)?.isSymbolicLink()) return false;
      const up = dirname(probe);
      if (up === probe) return false;
      probe = up;
    }
  }
}

/** Why: the /C:/... name the client sees for a local path inside the disk. */
export function toSftpName(diskRoot: string, local: string): string {
  const rel = local.slice(diskRoot.length).split(sep).filter(Boolean).join('/');
  return `/C:/${rel}`;
}
