// What a cycle record keeps of the client's events once the job output has shown them.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { keptEvents } from '../../../src/connector/cycle/record.ts';
import type { ActivityEvent } from '../../../src/protocol/messages.ts';

const ev = (seq: number, kind: string): ActivityEvent => ({
  type: 'event',
  seq,
  time: '2026-11-30T10:00:00Z',
  level: 'info',
  kind,
  message: kind,
});

it('keeps what the analysis reads, in order, and drops progress lines and heartbeats', () => {
  const events = [
    ev(1, 'run.start'),
    ev(2, 'download.progress'),
    ev(3, 'include.unmatched'),
    ev(4, 'install.heartbeat'),
    ev(5, 'install.progress'),
    ev(6, 'update.reappeared'),
    ev(7, 'servicing.in-progress'),
    ev(8, 'download.heartbeat'),
  ];
  assert.deepEqual(
    keptEvents(events).map((e) => e.seq),
    [1, 3, 6, 7],
  );
});
