import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ActivityLog } from '../../src/client/activity-log.ts';
import { PipeInUseError, servePipeConnection, startPipeServer } from '../../src/client/pipe-server.ts';
import { encodeMessage } from '../../src/protocol/codec.ts';
import type { RunSummary } from '../../src/protocol/messages.ts';
import { ack, readRunLog } from '../../src/protocol/pipe-client.ts';
import { RunLogInterruptedError } from '../../src/protocol/protocol-error.ts';
import { emptySummary } from '../protocol/messages-fixture.ts';

const TOKEN = 'tok-0123456789abcdef';
const summary: RunSummary = emptySummary({ mode: 'install' });

/** Connects, sends `send`, returns every byte received until the server closes (bounded). */
function rawExchange(path: string, send: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = connect(path, () => s.write(send));
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error('server did not close the connection'));
    }, 5000);
    s.on('data', (c) => chunks.push(c));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

describe('pipe server', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsus-pipe-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('sends nothing and closes on a wrong or missing token or garbage', async () => {
    const log = new ActivityLog({ filePath: null });
    log.emit('info', 'run.start', 'secret stuff');
    const rejected: string[] = [];
    const server = await startPipeServer({
      path: join(dir, 'p', 'wrong'),
      token: TOKEN,
      feed: log,
      onAck: () => {},
      onReject: (r) => rejected.push(r),
    });
    try {
      for (const send of [
        '{"type":"hello","token":"nope","from":0}\n',
        '{"type":"hello","from":0}\n',
        `{"type":"ack","seq":0}\n`,
        'GET / HTTP/1.1\r\n\r\n',
        `${'x'.repeat(70_000)}`,
      ]) {
        const got = await rawExchange(server.path, send);
        assert.equal(got.length, 0, send.slice(0, 40));
      }
      assert.equal(rejected.length, 5);
    } finally {
      await server.close();
    }
  });

  it('creates a private folder and a 0600 socket, replacing a stale socket file', async () => {
    const path = join(dir, 'priv', 'mode');
    const first = await startPipeServer({
      path,
      token: TOKEN,
      feed: new ActivityLog({ filePath: null }),
      onAck() {},
    });
    assert.equal(statSync(join(dir, 'priv')).mode & 0o777, 0o700);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    await assert.rejects(
      startPipeServer({ path, token: TOKEN, feed: new ActivityLog({ filePath: null }), onAck() {} }),
      PipeInUseError,
    );
    await first.close();

    // A socket file left by a killed process: nobody listens, so it is replaced.
    const stale = join(dir, 'priv', 'stale');
    const orphan = createServer();
    await new Promise<void>((r) => orphan.listen(stale, r));
    // Closing a Node server unlinks the socket; recreate the file to simulate a SIGKILLed owner.
    await new Promise<void>((r) => orphan.close(() => r()));
    writeFileSync(stale, '');
    const s = await startPipeServer({
      path: stale,
      token: TOKEN,
      feed: new ActivityLog({ filePath: null }),
      onAck() {},
    });
    assert.ok(statSync(stale).isSocket());
    await s.close();
  });

  it('sends the events of one tick in one write: the replay, and events logged together', async () => {
    const log = new ActivityLog({ filePath: null });
    for (let i = 0; i < 3; i++) log.emit('info', `e${i}`, `event ${i}`);
    // Each element is what one write of the server's socket carried, as lines.
    const writes: string[][] = [];
    const lines = (b: Buffer) => b.toString().trim().split('\n');
    const socket = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, done) {
        writes.push(lines(chunk));
        done();
      },
      writev(chunks, done) {
        writes.push(chunks.flatMap((c) => lines(c.chunk as Buffer)));
        done();
      },
    });
    servePipeConnection(socket, { path: 'memory', token: TOKEN, feed: log, onAck: () => {} });
    socket.push(encodeMessage({ type: 'hello', token: TOKEN, from: 0 }));
    const settle = () => new Promise((r) => setImmediate(r));
    for (let i = 0; i < 100 && writes.length === 0; i++) await settle();
    log.emit('info', 'e3', 'live event');
    log.emit('info', 'e4', 'logged with it');
    await settle();
    log.emit('info', 'e5', 'a later one');
    await settle();
    socket.destroy();
    assert.deepEqual(
      writes.map((w) => w.map((l) => JSON.parse(l).seq)),
      [[0, 1, 2], [3, 4], [5]],
    );
  });

  it('replays from `from`, streams live, ends with run.end, reports the ack; several readers and reconnects', async () => {
    const log = new ActivityLog({ filePath: null });
    const acks: number[] = [];
    const server = await startPipeServer({
      path: join(dir, 'live'),
      token: TOKEN,
      feed: log,
      onAck: (s) => acks.push(s),
    });
    try {
      for (let i = 0; i < 3; i++) log.emit('info', `e${i}`, `event ${i}`);

      const seenA: number[] = [];
      const seenB: number[] = [];
      const a = connect(server.path);
      const b = connect(server.path);
      const pa = readRunLog(a, { token: TOKEN, onEvent: (e) => seenA.push(e.seq) });
      const pb = readRunLog(b, { token: TOKEN, from: 2, onEvent: (e) => seenB.push(e.seq) });

      // Wait until both have the replay, then go live.
      for (let i = 0; i < 400 && (seenA.length < 3 || seenB.length < 1); i++)
        await new Promise((r) => setTimeout(r, 5));
      log.emit('info', 'e3', 'live event');
      log.finish(summary);

      const [endA, endB] = await Promise.all([pa, pb]);
      assert.deepEqual(seenA, [0, 1, 2, 3]);
      assert.deepEqual(seenB, [2, 3]);
      assert.equal(endA.seq, 4);
      assert.equal(endB.seq, 4);

      // A late reader (reconnect) gets the whole log from its `from`, then run.end.
      const c = connect(server.path);
      const seenC: number[] = [];
      const endC = await readRunLog(c, { token: TOKEN, from: 3, onEvent: (e) => seenC.push(e.seq) });
      assert.deepEqual(seenC, [3]);
      assert.equal(endC.seq, 4);

      assert.deepEqual(acks, []);
      await ack(b, 3); // a wrong seq is ignored
      await ack(a, endA.seq);
      for (let i = 0; i < 400 && acks.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      assert.deepEqual(acks, [4]);
      for (const s of [a, b, c]) s.destroy();
    } finally {
      await server.close();
    }
  });

  it('a reader whose pipe closes early learns where to resume, and whether anything came back', async () => {
    const log = new ActivityLog({ filePath: null });
    log.emit('info', 'e0', 'x');
    const server = await startPipeServer({ path: join(dir, 'early'), token: TOKEN, feed: log, onAck() {} });
    const s = connect(server.path);
    const p = readRunLog(s, { token: TOKEN });
    setTimeout(() => void server.close(), 50);
    await assert.rejects(
      p,
      (e: unknown) => e instanceof RunLogInterruptedError && e.nextFrom === 1 && e.receivedAny,
    );

    const server2 = await startPipeServer({ path: join(dir, 'early2'), token: TOKEN, feed: log, onAck() {} });
    try {
      await assert.rejects(
        readRunLog(connect(server2.path), { token: 'wrong-token-xxxxxx' }),
        (e: unknown) => e instanceof RunLogInterruptedError && !e.receivedAny && e.nextFrom === 0,
      );
    } finally {
      await server2.close();
    }
  });
});
