import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { it } from 'node:test';
import { coalesceWrites } from '../../src/protocol/coalesce-writes.ts';

it('writes of one tick leave in one writev, in order, and later ticks still flow', async () => {
  const received: Buffer[] = [];
  let peer: Socket | undefined;
  const server = createServer((s) => {
    peer = s;
    s.on('data', (c) => received.push(c));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const sock = coalesceWrites(connect({ host: '127.0.0.1', port }));
  try {
    await new Promise<void>((r) => sock.once('connect', r));
    const calls = { write: 0, writev: 0 };
    const raw = sock as unknown as { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
    const [w, wv] = [raw._write, raw._writev];
    raw._write = function (...a) {
      calls.write++;
      return w.apply(this, a);
    };
    raw._writev = function (...a) {
      calls.writev++;
      return wv.apply(this, a);
    };
    for (const part of ['one ', 'two ', 'three ', 'four ']) sock.write(part);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(calls, { write: 0, writev: 1 });
    sock.write('five');
    const deadline = Date.now() + 5000;
    while (Buffer.concat(received).toString() !== 'one two three four five' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal(Buffer.concat(received).toString(), 'one two three four five');
  } finally {
    sock.destroy();
    peer?.destroy();
    await new Promise((r) => server.close(r));
  }
});
