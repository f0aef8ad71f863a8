// The lab's SFTP answers as OpenSSH's sftp-server does (Win32-OpenSSH included): the status an
// errno maps to, and the fixed text sent with it, never the lab's own paths.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { SFTPWrapper } from 'ssh2';
import { STATUS_TEXT, statusOf } from '../../../src/lab/ssh/sftp-server.ts';
import ssh2 from '../../../src/ssh2/ssh2.ts';
import { type TempLab, tempLab } from '../temp-lab.ts';

const { STATUS_CODE } = ssh2.utils.sftp;

describe('lab SFTP status replies', () => {
  it("map errnos as sftp-server's errno_to_portable does", () => {
    const code = (c: string) => statusOf(Object.assign(new Error(c), { code: c }));
    for (const c of ['ENOENT', 'ENOTDIR', 'EBADF', 'ELOOP'])
      assert.equal(code(c), STATUS_CODE.NO_SUCH_FILE, c);
    for (const c of ['EPERM', 'EACCES', 'EFAULT']) assert.equal(code(c), STATUS_CODE.PERMISSION_DENIED, c);
    for (const c of ['ENAMETOOLONG', 'EINVAL']) assert.equal(code(c), STATUS_CODE.BAD_MESSAGE, c);
    for (const c of ['EEXIST', 'ENOTEMPTY', 'EISDIR', 'ENOSPC'])
      assert.equal(code(c), STATUS_CODE.FAILURE, c);
    assert.equal(STATUS_TEXT[STATUS_CODE.FAILURE], 'Failure');
    assert.equal(STATUS_TEXT[STATUS_CODE.NO_SUCH_FILE], 'No such file');
  });

  describe('over a lab host', () => {
    let t: TempLab;
    let client: InstanceType<typeof ssh2.Client>;
    let sftp: SFTPWrapper;
    before(async () => {
      t = await tempLab({ timeScale: 0.001, hosts: [{ name: 'srv01' }] });
      const h = t.hosts[0]!;
      client = new ssh2.Client();
      await new Promise<void>((resolve, reject) => {
        client.on('ready', () => resolve()).on('error', reject);
        client.connect({
          host: '127.0.0.1',
          port: h.port,
          username: h.user,
          privateKey: readFileSync(h.identityFile),
          hostVerifier: () => true,
          readyTimeout: 10_000,
        });
      });
      sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
        client.sftp((err, s) => (err ? reject(err) : resolve(s))),
      );
    });
    after(async () => {
      client.end();
      await t.close();
    });

    /** The status code and text of a request that fails. */
    const failure = (run: (cb: (err: unknown) => void) => void) =>
      new Promise<{ code: number; message: string }>((resolve, reject) =>
        run((err) => {
          if (!err) return reject(new Error('the request succeeded'));
          const e = err as { code: number; message: string };
          resolve({ code: e.code, message: e.message });
        }),
      );

    it('an existing folder is a plain "Failure", without the lab path', async () => {
      const r = await failure((cb) => sftp.mkdir('/C:/Users', cb));
      assert.deepEqual(r, { code: STATUS_CODE.FAILURE, message: 'Failure' });
    });

    it('a missing file is "No such file"', async () => {
      const r = await failure((cb) => sftp.open('/C:/nothing/here.txt', 'r', cb));
      assert.deepEqual(r, { code: STATUS_CODE.NO_SUCH_FILE, message: 'No such file' });
    });
  });
});
