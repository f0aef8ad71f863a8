// Pipelined SFTP writes: the order requests and replies travel in over a real lab connection, a
// file larger than the window, and the failure paths of putFile with a scripted SFTP session.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { SFTPWrapper } from 'ssh2';
import { loadInventory } from '../../src/ssh/inventory.ts';
import { PUT_WINDOW, putFile, readChunk, writeChunk } from '../../src/ssh/sftp-pipeline.ts';
import { SshTarget } from '../../src/ssh/ssh-target.ts';
import { type TempLab, tempLab } from '../lab/temp-lab.ts';

type Cb = (...args: unknown[]) => void;
const VERBS = ['mkdir', 'open', 'write', 'close', 'stat', 'read'] as const;

/** Records each SFTP request as it is sent and each reply as it arrives, in one sequence. */
function traceSftp() {
  const { SFTP } = createRequire(import.meta.url)('ssh2/lib/protocol/SFTP.js');
  const saved = Object.fromEntries(VERBS.map((v) => [v, SFTP.prototype[v]]));
  const events: string[] = [];
  let inFlightWrites = 0;
  let maxWrites = 0;
  let session: SFTPWrapper | null = null;
  for (const verb of VERBS) {
    SFTP.prototype[verb] = function (this: SFTPWrapper, ...args: unknown[]) {
      session = this;
      const cb = args.pop() as Cb;
      events.push(`send ${verb}`);
      if (verb === 'write') maxWrites = Math.max(maxWrites, ++inFlightWrites);
      return saved[verb].call(this, ...args, (...r: unknown[]) => {
        if (verb === 'write') inFlightWrites--;
        events.push(`reply ${verb}`);
        cb(...r);
      });
    };
  }
  return {
    events,
    maxWrites: () => maxWrites,
    session: () => session,
    restore: () => {
      for (const verb of VERBS) SFTP.prototype[verb] = saved[verb];
    },
  };
}

describe('pipelined SFTP against a lab host', () => {
  let labEnv: TempLab;
  const target = async () =>
    new SshTarget({ server: 'srv01', inventory: await loadInventory(labEnv.inventory) });
  before(async () => {
    labEnv = await tempLab({ timeScale: 0.001, hosts: [{ name: 'srv01' }] });
  });
  after(() => labEnv.close());

  it('sends the mkdirs with the open, and the write with the close: two round trips', async () => {
    const t = await target();
    const trace = traceSftp();
    try {
      await t.writeFile('C:\\ProgramData\\wsus-connector\\p1\\p2\\f.txt', 'data');
    } finally {
      trace.restore();
    }
    const ev = trace.events;
    const firstReply = ev.findIndex((e) => e.startsWith('reply'));
    assert.deepEqual(
      ev.slice(0, firstReply),
      ['send mkdir', 'send mkdir', 'send mkdir', 'send mkdir', 'send open'],
      `every folder and the open before any reply: ${ev.join(', ')}`,
    );
    assert.ok(
      ev.indexOf('send close') < ev.indexOf('reply write'),
      `the close goes out before the write's reply: ${ev.join(', ')}`,
    );
    assert.equal(String(await t.readFile('C:\\ProgramData\\wsus-connector\\p1\\p2\\f.txt')), 'data');
    await t.close();
  });

  it('writes a file larger than the window whole, never more than the window in flight', async () => {
    const t = await target();
    const trace = traceSftp();
    const chunkOf = () => writeChunk(trace.session() as SFTPWrapper);
    const size = 3 * 1024 * 1024 + 12_345;
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 13)) % 251;
    let chunk = 0;
    try {
      await t.writeFile('C:\\ProgramData\\wsus-connector\\big.bin', bytes);
      chunk = chunkOf();
    } finally {
      trace.restore();
    }
    const limit = (trace.session() as unknown as { _maxWriteLen?: unknown })._maxWriteLen;
    assert.equal(typeof limit, 'number', 'ssh2 still keeps its write limit where writeChunk reads it');
    assert.ok(chunk > 0 && chunk <= (limit as number), `chunk ${chunk}, ssh2's limit ${limit}`);
    assert.equal(trace.events.filter((e) => e === 'send write').length, Math.ceil(size / chunk));
    assert.equal(trace.maxWrites(), PUT_WINDOW, 'the window filled, and no more');
    const back = await t.readFile('C:\\ProgramData\\wsus-connector\\big.bin');
    assert.ok(back?.equals(bytes), `read back ${back?.length} of ${size} bytes`);
    await t.close();
  });

  it('reads a small file with the read and the close in one flight, and files around the chunk whole', async () => {
    const t = await target();
    const path = 'C:\\ProgramData\\wsus-connector\\sized.bin';
    await t.writeFile(path, 'small');
    const trace = traceSftp();
    let chunk = 0;
    try {
      assert.equal(String(await t.readFile(path)), 'small');
      const session = trace.session() as unknown as { _maxReadLen?: unknown } & SFTPWrapper;
      assert.equal(
        typeof session._maxReadLen,
        'number',
        'ssh2 still keeps its read limit where readChunk reads it',
      );
      chunk = readChunk(session);
    } finally {
      trace.restore();
    }
    assert.deepEqual(trace.events, [
      'send open',
      'reply open',
      'send read',
      'send close',
      'reply read',
      'reply close',
    ]);
    for (const size of [0, 1, chunk - 1, chunk, chunk + 1, 2 * chunk, 5 * chunk + 7]) {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 7 + size) % 251;
      await t.writeFile(path, bytes);
      const back = await t.readFile(path);
      assert.ok(back?.equals(bytes), `${size} bytes (chunk ${chunk}) read back as ${back?.length}`);
    }
    await t.close();
  });
});

/** An SFTP session that answers from a script: which writes fail, and what each call saw. */
function scriptedSftp(failWriteAt: number | null, failClose = false) {
  const calls: string[] = [];
  const later: (() => void)[] = [];
  const sftp = {
    _maxWriteLen: 10,
    mkdir: (p: string, cb: Cb) => {
      calls.push(`mkdir ${p}`);
      later.push(() => cb(null));
    },
    open: (p: string, _f: string, cb: Cb) => {
      calls.push(`open ${p}`);
      later.push(() => cb(null, Buffer.from([1])));
    },
    write: (_h: Buffer, _d: Buffer, off: number, len: number, _pos: number, cb: Cb) => {
      calls.push(`write ${off}+${len}`);
      const n = calls.filter((c) => c.startsWith('write')).length;
      later.push(() => cb(n === failWriteAt ? Object.assign(new Error('disk full'), { code: 4 }) : null));
    },
    close: (_h: Buffer, cb: Cb) => {
      calls.push('close');
      later.push(() => cb(failClose ? Object.assign(new Error('close failed'), { code: 4 }) : null));
    },
  };
  /** Answers every request sent so far, and those they lead to, in order. */
  const answerAll = () => {
    while (later.length > 0) later.shift()?.();
  };
  return { sftp: sftp as unknown as SFTPWrapper, calls, answerAll };
}

describe('putFile', () => {
  it('sends small files whole: the writes and the close in one flight', () => {
    const s = scriptedSftp(2);
    const results: (Error | null)[] = [];
    putFile(s.sftp, '/C:/f', Buffer.alloc(25), ['/C:/d'], (err) => results.push(err));
    s.answerAll();
    assert.deepEqual(s.calls, [
      'mkdir /C:/d',
      'open /C:/f',
      'write 0+10',
      'write 10+10',
      'write 20+5',
      'close',
    ]);
    assert.equal(results.length, 1, 'reported once, after the last reply');
    assert.match(String(results[0]?.message), /disk full/);
  });

  it('stops sending at a failed write, and closes the handle once the writes in flight answer', () => {
    // 100 writes of 10 bytes, at most PUT_WINDOW in flight; the second one fails.
    const s = scriptedSftp(2);
    const results: (Error | null)[] = [];
    putFile(s.sftp, '/C:/f', Buffer.alloc(1000), [], (err) => results.push(err));
    s.answerAll();
    const writes = s.calls.filter((c) => c.startsWith('write'));
    // The window, plus the one the first write's reply let out before the failure came back.
    assert.equal(writes.length, PUT_WINDOW + 1, s.calls.join(', '));
    assert.equal(s.calls.at(-1), 'close');
    assert.equal(results.length, 1);
    assert.match(String(results[0]?.message), /disk full/);
  });

  it('reports a failed close when every write landed, and an empty file is an open and a close', () => {
    const s = scriptedSftp(null, true);
    const results: (Error | null)[] = [];
    putFile(s.sftp, '/C:/f', Buffer.alloc(0), [], (err) => results.push(err));
    s.answerAll();
    assert.deepEqual(s.calls, ['open /C:/f', 'close']);
    assert.equal(results.length, 1);
    assert.match(String(results[0]?.message), /close failed/);
  });
});
