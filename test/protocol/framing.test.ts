import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { decodeClientMessage, decodeConnectorMessage, encodeMessage } from '../../src/protocol/codec.ts';
import { LineSplitter } from '../../src/protocol/line-splitter.ts';
import { MessageReader, readMessages } from '../../src/protocol/message-reader.ts';
import { ProtocolError } from '../../src/protocol/protocol-error.ts';
import { tokenMatches } from '../../src/protocol/token.ts';

const ev = (seq: number) => ({
  type: 'event' as const,
  seq,
  time: '2024-10-08T06:00:00.000Z',
  level: 'info' as const,
  kind: 'k',
  message: `m${seq} ✓`,
});

describe('LineSplitter', () => {
  it('splits across chunks, keeps multi-byte characters whole, strips CR', () => {
    const s = new LineSplitter(100);
    const bytes = Buffer.from('héllo\r\nwörld\npart', 'utf8');
    const out: string[] = [];
    for (let i = 0; i < bytes.length; i++) out.push(...s.push(bytes.subarray(i, i + 1)));
    assert.deepEqual(out, ['héllo', 'wörld']);
    assert.equal(s.partialBytes, 4);
    assert.deepEqual(s.push(Buffer.from('ial\n')), ['partial']);
  });

  it('rejects a line longer than the limit, even without a newline', () => {
    const s = new LineSplitter(8);
    assert.deepEqual(s.push(Buffer.from('12345678\n')), ['12345678']);
    assert.throws(() => s.push(Buffer.from('123456789')), ProtocolError);
    const s2 = new LineSplitter(8);
    s2.push(Buffer.from('12345'));
    assert.throws(() => s2.push(Buffer.from('6789\n')), /longer than 8 bytes/);
  });
});

describe('codec', () => {
  it('round-trips messages as one JSON line each', () => {
    const line = encodeMessage(ev(3));
    assert.ok(line.endsWith('\n'));
    assert.equal(line.indexOf('\n'), line.length - 1);
    assert.deepEqual(decodeClientMessage(line.trim()), ev(3));
    assert.deepEqual(decodeConnectorMessage('{"type":"hello","token":"t"}'), {
      type: 'hello',
      token: 't',
      from: 0,
    });
  });

  it('names the JSON path of an invalid message', () => {
    assert.throws(() => decodeClientMessage('{"type":"event","seq":-1}'), /at seq/);
    assert.throws(() => decodeClientMessage('not json'), /not a JSON line/);
    assert.throws(() => decodeConnectorMessage('{"type":"hello"}'), /at token/);
    assert.throws(() => decodeConnectorMessage('{"type":"rm -rf"}'), ProtocolError);
  });
});

describe('tokenMatches', () => {
  it('accepts only the exact token', () => {
    const t = 'a'.repeat(32);
    assert.equal(tokenMatches(t, t), true);
    assert.equal(tokenMatches(t, `${t}x`), false);
    assert.equal(tokenMatches(t, 'a'.repeat(31)), false);
    assert.equal(tokenMatches(t, undefined), false);
    assert.equal(tokenMatches('', ''), false);
  });
});

describe('MessageReader', () => {
  it('yields validated messages and returns at a clean end', async () => {
    const s = new PassThrough();
    s.write(encodeMessage(ev(0)) + encodeMessage(ev(1)).slice(0, 10));
    s.end(encodeMessage(ev(1)).slice(10));
    const got = [];
    for await (const m of readMessages(s, decodeClientMessage)) got.push(m);
    assert.deepEqual(got, [ev(0), ev(1)]);
  });

  it('fails on a garbled line, an unterminated last line, or an over-long line', async () => {
    const s1 = new PassThrough();
    s1.end(`${encodeMessage(ev(0))}garbage\n`);
    const r1 = new MessageReader(s1, decodeClientMessage);
    assert.deepEqual(await r1.next(), ev(0));
    await assert.rejects(r1.next(), ProtocolError);

    const s2 = new PassThrough();
    s2.end('{"type":"event"');
    await assert.rejects(new MessageReader(s2, decodeClientMessage).next(), /inside a line/);

    const s3 = new PassThrough();
    s3.write('x'.repeat(100));
    await assert.rejects(
      new MessageReader(s3, decodeClientMessage, { maxLineBytes: 50 }).next(),
      /longer than 50/,
    );
  });

  it('close() leaves the stream usable', async () => {
    const s = new PassThrough();
    const r = new MessageReader(s, decodeClientMessage);
    s.write(encodeMessage(ev(0)));
    assert.deepEqual(await r.next(), ev(0));
    r.close();
    assert.equal(s.destroyed, false);
    assert.equal(s.write('more'), true);
  });

  it('rejects with the abort reason', async () => {
    const s = new PassThrough();
    const ctl = new AbortController();
    const r = new MessageReader(s, decodeClientMessage, { signal: ctl.signal });
    const p = r.next();
    ctl.abort(new Error('stop now'));
    await assert.rejects(p, /stop now/);
  });
});
