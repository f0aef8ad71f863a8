// The SFTP subsystem of a lab host: Windows OpenSSH's /C:/... view of the host's disk folder,
// confined to it. No path, `..` or symlink can reach outside (test/lab/ssh/sftp-server.test.ts).
import {
  closeSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  renameSync,
  rmdirSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join, posix, sep } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import ssh2 from '../../ssh2/ssh2.ts';

const { utils } = ssh2;

const { STATUS_CODE } = utils.sftp;
export const HOME = '/C:/Users/Administrator';

/** Why: /C:/x, C:/x, C:\x and relative paths (from the home folder) → a path inside diskRoot, or null. */
export function mapSftpPath(diskRoot: string, requested: string, safeDirs?: Set<string>): string | null {
  const local = localPath(diskRoot, requested);
  if (local === null) return null;
  // Under a trusted folder only the last component can be a symlink: one lstat, no realpath walk.
  if (safeDirs && trustedDir(diskRoot, dirname(local), safeDirs) && !entryAt(local)?.isSymbolicLink())
    return local;
  return resolvesInside(diskRoot, local) ? local : null;
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
function resolvesInside(diskRoot: string, local: string): boolean {
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
function toSftpName(diskRoot: string, local: string): string {
  const rel = local.slice(diskRoot.length).split(sep).filter(Boolean).join('/');
  return `/C:/${rel}`;
}

function attrsOf(s: Stats) {
  return {
    mode: s.mode,
    uid: 0,
    gid: 0,
    size: s.size,
    atime: Math.floor(s.atimeMs / 1000),
    mtime: Math.floor(s.mtimeMs / 1000),
  };
}

function statusOf(err: unknown): number {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return STATUS_CODE.NO_SUCH_FILE;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EEXIST' || code === 'ENOTEMPTY') {
    return STATUS_CODE.PERMISSION_DENIED;
  }
  return STATUS_CODE.FAILURE;
}

/** Why: serves one SFTP session over the host's disk folder. */
export function serveSftp(sftp: SFTPWrapper, diskRoot: string): void {
  const handles = new Map<number, { fd?: number; dir?: string; listed?: boolean }>();
  let next = 1;
  const handleBuf = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const lookup = (h: Buffer) => handles.get(h.length === 4 ? h.readUInt32BE(0) : -1);
  // Folders of this session already checked to lie inside the disk (see mapSftpPath).
  const safeDirs = new Set<string>();
  const guard = (reqid: number, path: string, fn: (local: string) => void) => {
    const local = mapSftpPath(diskRoot, path, safeDirs);
    // A share through SFTP: the key-authenticated session has no network credentials.
    if (/^(\/\/|\\\\)/.test(path))
      return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, 'Access is denied.');
    if (!local) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, 'outside the disk');
    try {
      fn(local);
    } catch (err) {
      sftp.status(reqid, statusOf(err), (err as Error).message);
    }
  };

  // The client's EOF ends the session: close our side too, or OpenSSH's sftp waits forever.
  sftp.on('end', () => {
    for (const h of handles.values()) if (h.fd !== undefined) closeSync(h.fd);
    handles.clear();
    sftp.end();
  });
  sftp.on('OPEN', (reqid, filename, flags) =>
    guard(reqid, filename, (local) => {
      const fd = openSync(local, utils.sftp.flagsToString(flags) ?? 'r');
      const id = next++;
      handles.set(id, { fd });
      sftp.handle(reqid, handleBuf(id));
    }),
  );
  sftp.on('READ', (reqid, handle, offset, length) => {
    const h = lookup(handle);
    if (h?.fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    const buf = Buffer.alloc(length);
    const n = readSync(h.fd, buf, 0, length, offset);
    if (n === 0) return sftp.status(reqid, STATUS_CODE.EOF);
    sftp.data(reqid, buf.subarray(0, n));
  });
  sftp.on('WRITE', (reqid, handle, offset, data) => {
    const h = lookup(handle);
    if (h?.fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    writeSync(h.fd, data, 0, data.length, offset);
    sftp.status(reqid, STATUS_CODE.OK);
  });
  sftp.on('FSTAT', (reqid, handle) => {
    const h = lookup(handle);
    if (h?.fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    sftp.attrs(reqid, attrsOf(fstatSync(h.fd)));
  });
  sftp.on('FSETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK));
  sftp.on('SETSTAT', (reqid, path) => guard(reqid, path, () => sftp.status(reqid, STATUS_CODE.OK)));
  sftp.on('CLOSE', (reqid, handle) => {
    const id = handle.length === 4 ? handle.readUInt32BE(0) : -1;
    const h = handles.get(id);
    if (!h) return sftp.status(reqid, STATUS_CODE.FAILURE);
    if (h.fd !== undefined) closeSync(h.fd);
    handles.delete(id);
    sftp.status(reqid, STATUS_CODE.OK);
  });
  sftp.on('STAT', (reqid, path) =>
    guard(reqid, path, (local) => sftp.attrs(reqid, attrsOf(statSync(local)))),
  );
  sftp.on('LSTAT', (reqid, path) =>
    guard(reqid, path, (local) => sftp.attrs(reqid, attrsOf(lstatSync(local)))),
  );
  sftp.on('MKDIR', (reqid, path) =>
    guard(reqid, path, (local) => {
      mkdirSync(local);
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('RMDIR', (reqid, path) =>
    guard(reqid, path, (local) => {
      rmdirSync(local);
      safeDirs.clear(); // The folder tree changed: check paths afresh.
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('REMOVE', (reqid, path) =>
    guard(reqid, path, (local) => {
      unlinkSync(local);
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('RENAME', (reqid, from, to) =>
    guard(reqid, from, (a) => {
      const b = mapSftpPath(diskRoot, to, safeDirs);
      if (!b) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, 'outside the disk');
      renameSync(a, b);
      safeDirs.clear(); // A folder may have moved where a checked one was.
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('OPENDIR', (reqid, path) =>
    guard(reqid, path, (local) => {
      if (!statSync(local).isDirectory()) return sftp.status(reqid, STATUS_CODE.FAILURE, 'not a folder');
      const id = next++;
      handles.set(id, { dir: local });
      sftp.handle(reqid, handleBuf(id));
    }),
  );
  sftp.on('READDIR', (reqid, handle) => {
    const h = lookup(handle);
    if (h?.dir === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    if (h.listed) return sftp.status(reqid, STATUS_CODE.EOF);
    h.listed = true;
    const dir = h.dir;
    const names = readdirSync(dir).map((filename) => {
      const s = lstatSync(join(dir, filename));
      return {
        filename,
        longname: `${s.isDirectory() ? 'd' : '-'}rw-r--r-- 1 0 0 ${s.size} ${filename}`,
        attrs: attrsOf(s),
      };
    });
    sftp.name(reqid, names);
  });
  sftp.on('REALPATH', (reqid, path) => {
    const local = mapSftpPath(diskRoot, path === '.' || path === '' ? HOME : path, safeDirs);
    if (!local) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, 'outside the disk');
    const filename = toSftpName(diskRoot, local);
    sftp.name(reqid, [{ filename, longname: filename, attrs: {} as never }]);
  });
}
