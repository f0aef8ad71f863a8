// The SFTP subsystem of a lab host: Windows OpenSSH's /C:/... view of the host's disk folder,
// confined to it by ./sftp-paths.ts.
import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmdirSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import ssh2 from '../../ssh2/ssh2.ts';
import { HOME, mapSftpPath, openFlags, resolvesInside, toSftpName } from './sftp-paths.ts';

const { STATUS_CODE } = ssh2.utils.sftp;

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

/**
 * Why: the status an errno gets from OpenSSH's sftp-server, Win32-OpenSSH's included
 * (`errno_to_portable`): anything not listed, such as an existing folder (EEXIST) or a folder
 * that is not empty (ENOTEMPTY), is a plain failure (docs/lab.md "SSH sessions").
 */
export function statusOf(err: unknown): number {
  switch ((err as { code?: string }).code) {
    case 'ENOENT':
    case 'ENOTDIR':
    case 'EBADF':
    case 'ELOOP':
      return STATUS_CODE.NO_SUCH_FILE;
    case 'EPERM':
    case 'EACCES':
    case 'EFAULT':
      return STATUS_CODE.PERMISSION_DENIED;
    case 'ENAMETOOLONG':
    case 'EINVAL':
      return STATUS_CODE.BAD_MESSAGE;
    case 'ENOSYS':
      return STATUS_CODE.OP_UNSUPPORTED;
    default:
      return STATUS_CODE.FAILURE;
  }
}

/** The fixed text sftp-server sends with each status (`status_to_message`); never a local path. */
export const STATUS_TEXT = [
  'Success',
  'End of file',
  'No such file',
  'Permission denied',
  'Failure',
  'Bad message',
  'No connection',
  'Connection lost',
  'Operation unsupported',
] as const;

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
  const status = (reqid: number, code: number) =>
    sftp.status(reqid, code, STATUS_TEXT[code] ?? 'Unknown error');
  // Folders of this session already checked to lie inside the disk (see mapSftpPath).
  const safeDirs = new Set<string>();
  const guard = (reqid: number, path: string, fn: (local: string) => void, followsLeaf = true) => {
    const local = mapSftpPath(diskRoot, path, safeDirs, followsLeaf);
    // A share through SFTP: the key-authenticated session has no network credentials.
    if (/^(\/\/|\\\\)/.test(path)) return status(reqid, STATUS_CODE.PERMISSION_DENIED);
    if (!local) return status(reqid, STATUS_CODE.PERMISSION_DENIED);
    try {
      fn(local);
    } catch (err) {
      status(reqid, statusOf(err));
    }
  };
  // For operations on a last-component symlink itself, never on where it points.
  const guardLink = (reqid: number, path: string, fn: (local: string) => void) =>
    guard(reqid, path, fn, false);

  // The client's EOF ends the session: close our side too, or OpenSSH's sftp waits forever.
  sftp.on('end', () => {
    for (const h of handles.values()) if (h.fd !== undefined) closeSync(h.fd);
    handles.clear();
    sftp.end();
  });
  // Opened with O_NOFOLLOW: a last-component symlink is checked before it is followed.
  sftp.on('OPEN', (reqid, filename, pflags) =>
    guardLink(reqid, filename, (local) => {
      const flags = openFlags(pflags);
      let fd: number;
      try {
        fd = openSync(local, flags | fsConstants.O_NOFOLLOW, 0o666);
      } catch (err) {
        // A symlink as the last component: followed only when it resolves inside the disk.
        if ((err as NodeJS.ErrnoException).code !== 'ELOOP') throw err;
        if (!resolvesInside(diskRoot, local)) return status(reqid, STATUS_CODE.PERMISSION_DENIED);
        fd = openSync(local, flags, 0o666);
      }
      const id = next++;
      handles.set(id, { fd });
      sftp.handle(reqid, handleBuf(id));
    }),
  );
  sftp.on('READ', (reqid, handle, offset, length) => {
    const h = lookup(handle);
    if (h?.fd === undefined) return status(reqid, STATUS_CODE.FAILURE);
    const buf = Buffer.alloc(length);
    const n = readSync(h.fd, buf, 0, length, offset);
    if (n === 0) return status(reqid, STATUS_CODE.EOF);
    sftp.data(reqid, buf.subarray(0, n));
  });
  sftp.on('WRITE', (reqid, handle, offset, data) => {
    const h = lookup(handle);
    if (h?.fd === undefined) return status(reqid, STATUS_CODE.FAILURE);
    writeSync(h.fd, data, 0, data.length, offset);
    status(reqid, STATUS_CODE.OK);
  });
  sftp.on('FSTAT', (reqid, handle) => {
    const h = lookup(handle);
    if (h?.fd === undefined) return status(reqid, STATUS_CODE.FAILURE);
    sftp.attrs(reqid, attrsOf(fstatSync(h.fd)));
  });
  sftp.on('FSETSTAT', (reqid) => status(reqid, STATUS_CODE.OK));
  sftp.on('SETSTAT', (reqid, path) => guard(reqid, path, () => status(reqid, STATUS_CODE.OK)));
  sftp.on('CLOSE', (reqid, handle) => {
    const id = handle.length === 4 ? handle.readUInt32BE(0) : -1;
    const h = handles.get(id);
    if (!h) return status(reqid, STATUS_CODE.FAILURE);
    if (h.fd !== undefined) closeSync(h.fd);
    handles.delete(id);
    status(reqid, STATUS_CODE.OK);
  });
  sftp.on('STAT', (reqid, path) =>
    guard(reqid, path, (local) => sftp.attrs(reqid, attrsOf(statSync(local)))),
  );
  sftp.on('LSTAT', (reqid, path) =>
    guardLink(reqid, path, (local) => sftp.attrs(reqid, attrsOf(lstatSync(local)))),
  );
  sftp.on('MKDIR', (reqid, path) =>
    guardLink(reqid, path, (local) => {
      mkdirSync(local);
      status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('RMDIR', (reqid, path) =>
    guardLink(reqid, path, (local) => {
      rmdirSync(local);
      safeDirs.clear(); // The folder tree changed: check paths afresh.
      status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('REMOVE', (reqid, path) =>
    guardLink(reqid, path, (local) => {
      unlinkSync(local);
      status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('RENAME', (reqid, from, to) =>
    guardLink(reqid, from, (a) => {
      const b = mapSftpPath(diskRoot, to, safeDirs, false);
      if (!b) return status(reqid, STATUS_CODE.PERMISSION_DENIED);
      renameSync(a, b);
      safeDirs.clear(); // A folder may have moved where a checked one was.
      status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('OPENDIR', (reqid, path) =>
    guard(reqid, path, (local) => {
      if (!statSync(local).isDirectory()) return status(reqid, STATUS_CODE.NO_SUCH_FILE); // ENOTDIR
      const id = next++;
      handles.set(id, { dir: local });
      sftp.handle(reqid, handleBuf(id));
    }),
  );
  sftp.on('READDIR', (reqid, handle) => {
    const h = lookup(handle);
    if (h?.dir === undefined) return status(reqid, STATUS_CODE.FAILURE);
    if (h.listed) return status(reqid, STATUS_CODE.EOF);
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
    if (!local) return status(reqid, STATUS_CODE.PERMISSION_DENIED);
    const filename = toSftpName(diskRoot, local);
    sftp.name(reqid, [{ filename, longname: filename, attrs: {} as never }]);
  });
}
