import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLogFile } from '../../src/protocol/log-file.ts';
import { ProtocolError } from '../../src/protocol/protocol-error.ts';
import { eventLine, runEndLine } from './messages-fixture.ts';

const ev = eventLine;
const end = (seq: number) => runEndLine(seq);

describe('parseLogFile', () => {
  it('splits events, run.end and what came after', () => {
    const r = parseLogFile(`${[ev(0, 'run.start'), ev(1), end(2), ev(3, 'ack.received')].join('\n')}\n`);
    assert.deepEqual(
      r.events.map((e) => e.seq),
      [0, 1],
    );
    assert.equal(r.runEnd?.seq, 2);
    assert.deepEqual(
      r.after.map((e) => e.kind),
      ['ack.received'],
    );
    assert.equal(r.truncated, false);
  });

  it('tolerates a cut-off last line of a killed writer, but not a gap or garbage', () => {
    const r = parseLogFile(`${ev(0)}\n${ev(1)}\n{"type":"ev`);
    assert.equal(r.truncated, true);
    assert.equal(r.runEnd, null);
    assert.equal(r.events.length, 2);
    assert.throws(() => parseLogFile(`${ev(0)}\n${ev(2)}\n`, 'x.jsonl'), /x\.jsonl:2: seq 2, expected 1/);
    assert.throws(() => parseLogFile(`${ev(0)}\nnope\n`), ProtocolError);
  });
});
