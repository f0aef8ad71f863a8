import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { TargetError } from '../../src/connector/ports.ts';
import { withDeadline } from '../../src/ssh/bounded.ts';

test('a request whose connection closes settles at once, not at its deadline', async () => {
  const conn = new EventEmitter();
  let killed = false;
  const t0 = Date.now();
  const pending = withDeadline<string>(
    'srv01: read C:\\x',
    30_000,
    () => {}, // ssh2 dropped the callback
    () => {
      killed = true;
    },
    conn,
  );
  setTimeout(() => conn.emit('close'), 20);
  await assert.rejects(pending, (err: unknown) => {
    assert.ok(err instanceof TargetError);
    assert.equal(err.kind, 'unreachable');
    assert.match(err.message, /srv01: read C:\\x: the connection closed before an answer/);
    return true;
  });
  assert.ok(Date.now() - t0 < 5_000, 'settled long before the deadline');
  assert.equal(killed, false, 'a closed connection needs no drop');
  assert.equal(conn.listenerCount('close'), 0);
});

test('a callback fired while the connection closes wins over the close', async () => {
  const conn = new EventEmitter();
  const got = withDeadline<string>(
    'srv01: read',
    30_000,
    (settle) =>
      conn.once('close', () => {
        settle(null, 'data');
      }),
    () => {},
    conn,
  );
  conn.emit('close');
  assert.equal(await got, 'data');
});

test('a settled request leaves no listener on its connection', async () => {
  const conn = new EventEmitter();
  const got = await withDeadline<number>(
    'srv01: x',
    30_000,
    (settle) => settle(null, 7),
    () => {},
    conn,
  );
  assert.equal(got, 7);
  assert.equal(conn.listenerCount('close'), 0);
});

test('without an answer or a close the deadline fails the request and drops the connection', async () => {
  const conn = new EventEmitter();
  let killed = false;
  await assert.rejects(
    withDeadline(
      'srv01: y',
      30,
      () => {},
      () => {
        killed = true;
      },
      conn,
    ),
    /got no answer in 0 s/,
  );
  assert.equal(killed, true);
  assert.equal(conn.listenerCount('close'), 0);
});
