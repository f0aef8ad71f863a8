import assert from 'node:assert/strict';
import { Duplex, PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { ack, readRunLog } from '../../src/protocol/pipe-client.ts';
import { ProtocolError } from '../../src/protocol/protocol-error.ts';
import { eventLine, runEndLine } from './messages-fixture.ts';

/** A fake pipe: what the reader writes lands in `sent`, what the test writes to `toReader` it reads. */
function fakePipe() {
  const toReader = new PassThrough();
  const fromReader = new PassThrough();
  let sent = '';
  fromReader.on('data', (c: Buffer) => {
    sent += c.toString();
  });
  const stream = Duplex.from({ readable: toReader, writable: fromReader });
  return { stream, toReader, sent: () => sent };
}

const event = (seq: number) => `${eventLine(seq)}\n`;
const runEnd = (seq: number) => `${runEndLine(seq)}\n`;

describe('readRunLog', () => {
  it('sends hello with token and from, then follows events to run.end', async () => {
    const p = fakePipe();
    const seen: number[] = [];
    const done = readRunLog(p.stream, { token: 'secret-token', from: 5, onEvent: (e) => seen.push(e.seq) });
    p.toReader.write(event(5) + event(6));
    p.toReader.write(runEnd(7));
    const end = await done;
    assert.equal(end.seq, 7);
    assert.deepEqual(seen, [5, 6]);
    assert.deepEqual(JSON.parse(p.sent()), { type: 'hello', token: 'secret-token', from: 5 });
    await ack(p.stream, 7);
    assert.deepEqual(JSON.parse(p.sent().split('\n')[1] ?? ''), { type: 'ack', seq: 7 });
  });

  it('rejects a gap in seqs, a run.end with the wrong seq, and garbage', async () => {
    for (const [input, re] of [
      [event(0) + event(2), /expected event seq 1, got 2/],
      [event(0) + runEnd(3), /run\.end has seq 3, expected 1/],
      ['{"type":"event"}\n', ProtocolError],
    ] as const) {
      const p = fakePipe();
      const done = readRunLog(p.stream, { token: 't' });
      p.toReader.write(input);
      await assert.rejects(done, re as RegExp);
    }
  });

  it('honours the abort signal', async () => {
    const p = fakePipe();
    const ctl = new AbortController();
    const done = readRunLog(p.stream, { token: 't', signal: ctl.signal });
    p.toReader.write(event(0));
    ctl.abort(new Error('connector shutting down'));
    await assert.rejects(done, /connector shutting down/);
  });
});
