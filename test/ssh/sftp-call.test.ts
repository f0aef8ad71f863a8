// The ssh2 behaviour this guards against (mscdex/ssh2#1490): a high-level SFTP call whose callback
// is never called once the connection dies. Fakes stand in for ssh2 so the drop is certain.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { SFTPWrapper } from 'ssh2';
import { TargetError } from '../../src/connector/ports.ts';
import { settledSftpCall } from '../../src/ssh/sftp-call.ts';

function fakes() {
  const conn = new EventEmitter();
  const sftp = Object.assign(new EventEmitter(), {
    ended: false,
    end() {
      this.ended = true;
    },
  });
  return { conn, sftp, asSftp: sftp as unknown as SFTPWrapper };
}

describe('settledSftpCall', () => {
  it('rejects as unreachable when the connection closes and the callback never comes', async () => {
    const f = fakes();
    const p = settledSftpCall(
      { server: 's1', conn: f.conn, sftp: f.asSftp, what: 'reading lock.json', call: () => {} },
      () => {},
    );
    f.conn.emit('close');
    await assert.rejects(
      p,
      (e: unknown) =>
        e instanceof TargetError &&
        e.kind === 'unreachable' &&
        /dropped during reading lock\.json/.test(e.message),
    );
    assert.equal(f.conn.listenerCount('close'), 0);
  });

  it('gives up after the timeout, discards the session, ignores a late callback', async () => {
    const f = fakes();
    let late: ((r: () => number) => void) | undefined;
    let discarded = false;
    const p = settledSftpCall<number>(
      {
        server: 's1',
        conn: f.conn,
        sftp: f.asSftp,
        what: 'writing x',
        call: (_s, settle) => {
          late = settle;
        },
      },
      () => {
        discarded = true;
      },
      20,
    );
    await assert.rejects(p, /writing x: no answer in 0.02 s/);
    assert.ok(discarded && f.sftp.ended);
    late?.(() => 1);
  });

  it('resolves with the value, and a throw in settle rejects with that error', async () => {
    const f = fakes();
    const ok = await settledSftpCall<number>(
      { server: 's1', conn: f.conn, sftp: f.asSftp, what: 'x', call: (_s, settle) => settle(() => 42) },
      () => {},
    );
    assert.equal(ok, 42);
    const bad = settledSftpCall<number>(
      {
        server: 's1',
        conn: f.conn,
        sftp: f.asSftp,
        what: 'x',
        call: (_s, settle) =>
          settle(() => {
            throw new Error('denied');
          }),
      },
      () => {},
    );
    await assert.rejects(bad, /denied/);
  });
});
