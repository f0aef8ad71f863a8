// The connector-wide bound on SSH handshakes in flight: turns beyond it wait in order, a release
// passes the turn on, and an aborted waiter leaves the queue without taking a turn.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { handshakeTurn, MAX_CONCURRENT_HANDSHAKES } from '../../src/ssh/handshake-gate.ts';

const tick = () => new Promise((r) => setImmediate(r));

it('holds the turns beyond the bound until one is released, first come first served', async () => {
  const held = await Promise.all(Array.from({ length: MAX_CONCURRENT_HANDSHAKES }, () => handshakeTurn()));
  const order: string[] = [];
  const waiter = (name: string) =>
    handshakeTurn().then((release) => {
      order.push(name);
      return release;
    });
  const a = waiter('a');
  const b = waiter('b');
  await tick();
  assert.deepEqual(order, [], 'the bound is reached: both wait');
  held[0]?.();
  held[0]?.(); // A second release of one turn gives nothing away.
  await tick();
  assert.deepEqual(order, ['a']);
  held[1]?.();
  await tick();
  assert.deepEqual(order, ['a', 'b']);
  for (const release of [...held.slice(2), await a, await b]) release();
  // Everything released: a new caller gets its turn at once.
  const next = await handshakeTurn();
  next();
});

it('drops an aborted waiter from the queue; the next waiter gets the released turn', async () => {
  const held = await Promise.all(Array.from({ length: MAX_CONCURRENT_HANDSHAKES }, () => handshakeTurn()));
  const ac = new AbortController();
  const aborted = handshakeTurn(ac.signal);
  const later = handshakeTurn();
  ac.abort(new Error('run stopped'));
  await assert.rejects(aborted, /run stopped/);
  held[0]?.();
  const release = await later;
  for (const r of [...held.slice(1), release]) r();
  const next = await handshakeTurn();
  next();
});
