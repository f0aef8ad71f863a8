import assert from 'node:assert/strict';
import { constants, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { mapSftpPath, openFlags } from '../../../src/lab/ssh/sftp-paths.ts';

describe('lab SFTP path confinement', () => {
  let dir: string;
  let disk: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsus-sftp-'));
    disk = join(dir, 'disk');
    mkdirSync(join(disk, 'Windows', 'Temp'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('maps Windows OpenSSH paths into the disk folder', () => {
    assert.equal(mapSftpPath(disk, '/C:/Windows/Temp/x'), join(disk, 'Windows', 'Temp', 'x'));
    assert.equal(mapSftpPath(disk, 'C:/Windows/Temp/x'), join(disk, 'Windows', 'Temp', 'x'));
    assert.equal(mapSftpPath(disk, '/c:/windows'), join(disk, 'windows'));
    assert.equal(mapSftpPath(disk, 'rel.txt'), join(disk, 'Users', 'Administrator', 'rel.txt'));
  });

  it('never escapes: .., other drives, bare / and symlinks pointing out all stay inside or are refused', () => {
    for (const p of [
      '/C:/../../etc/passwd',
      '/C:/Windows/../../../etc',
      '../../../../etc/passwd',
      '/C:/..',
    ]) {
      const local = mapSftpPath(disk, p);
      assert.ok(local === null || local.startsWith(disk), `${p} → ${local}`);
    }
    assert.equal(mapSftpPath(disk, '/D:/x'), null);
    assert.equal(mapSftpPath(disk, '/etc/passwd'), null);
    symlinkSync('/etc', join(disk, 'Windows', 'escape'));
    assert.equal(mapSftpPath(disk, '/C:/Windows/escape/passwd'), null);
    assert.equal(mapSftpPath(disk, '/C:/Windows/escape'), null);
  });

  it('follows a symlink that stays inside the disk, and a path under a missing folder', () => {
    symlinkSync(join(disk, 'Windows', 'Temp'), join(disk, 'Windows', 'inside'));
    assert.equal(mapSftpPath(disk, '/C:/Windows/inside/x'), join(disk, 'Windows', 'inside', 'x'));
    assert.equal(mapSftpPath(disk, '/C:/No/Such/x'), join(disk, 'No', 'Such', 'x'));
  });

  it('refuses a dangling symlink, whose target a write would create outside the disk', () => {
    symlinkSync(join(dir, 'outside-file'), join(disk, 'Windows', 'dangling'));
    assert.equal(mapSftpPath(disk, '/C:/Windows/dangling'), null);
  });

  it('maps a path below a file (the request then fails like on Windows) without throwing', () => {
    writeFileSync(join(disk, 'Windows', 'file.txt'), 'x');
    assert.equal(mapSftpPath(disk, '/C:/Windows/file.txt/x'), join(disk, 'Windows', 'file.txt', 'x'));
  });
});

describe('lab SFTP path confinement within a session', () => {
  it('a folder checked once is trusted, but a symlink leaf and a changed tree are checked again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsus-sftp-session-'));
    try {
      const disk = join(dir, 'disk');
      mkdirSync(join(disk, 'runs'), { recursive: true });
      const safe = new Set<string>();
      assert.equal(mapSftpPath(disk, '/C:/runs/job.json', safe), join(disk, 'runs', 'job.json'));
      assert.ok(safe.has(join(disk, 'runs')), 'the folder is remembered');
      // A symlink planted in a remembered folder is still refused.
      symlinkSync('/etc', join(disk, 'runs', 'escape'));
      assert.equal(mapSftpPath(disk, '/C:/runs/escape', safe), null);
      assert.equal(mapSftpPath(disk, '/C:/runs/escape/passwd', safe), null);
      // A symlinked folder planted below a remembered one is not trusted as a folder.
      mkdirSync(join(disk, 'runs', 'c1'));
      assert.equal(mapSftpPath(disk, '/C:/runs/c1/log.jsonl', safe), join(disk, 'runs', 'c1', 'log.jsonl'));
      symlinkSync('/etc', join(disk, 'runs', 'c2'));
      assert.equal(mapSftpPath(disk, '/C:/runs/c2/passwd', safe), null);
      assert.equal(mapSftpPath(disk, '/C:/runs/c2/x/y', safe), null);
      assert.ok(!safe.has(join(disk, 'runs', 'c2')));
      // The remembered set is what the server clears after RENAME and RMDIR.
      safe.clear();
      assert.equal(mapSftpPath(disk, '/C:/runs/escape/passwd', safe), null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('lab SFTP open flags', () => {
  it('maps SSH_FXF_* to open(2) flags the way OpenSSH sftp-server does', () => {
    const { O_RDONLY, O_WRONLY, O_RDWR, O_APPEND, O_CREAT, O_TRUNC, O_EXCL } = constants;
    assert.equal(openFlags(0x01), O_RDONLY);
    assert.equal(openFlags(0x02 | 0x08 | 0x10), O_WRONLY | O_CREAT | O_TRUNC);
    assert.equal(openFlags(0x02 | 0x08 | 0x20), O_WRONLY | O_CREAT | O_EXCL);
    assert.equal(openFlags(0x03 | 0x04 | 0x08), O_RDWR | O_APPEND | O_CREAT);
  });
});
